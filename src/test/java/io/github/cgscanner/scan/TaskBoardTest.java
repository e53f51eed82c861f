package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskBoardTest {
  @Test
  void aResultCountsOnceAndOnlyForItsLease() {
    TaskBoard board = new TaskBoard("s");
    board.add(board.newTask(new JsonArray(), 10));
    List<JsonObject> leased = board.lease(5, "node-a", 0, 1000);
    assertEquals(1, leased.size());
    String taskId = leased.get(0).getString("taskId");
    String leaseId = leased.get(0).getString("leaseId");
    assertNull(board.release(taskId, "someone-else"));
    assertNotNull(board.release(taskId, leaseId));
    assertNull(board.release(taskId, leaseId), "a repeated result is ignored");
    assertTrue(board.idle());
  }

  @Test
  void lapsedAndOrphanedLeasesGoBackToTheQueue() {
    TaskBoard board = new TaskBoard("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(new JsonArray(), 10));
    List<JsonObject> a = board.lease(1, "node-a", 0, 1000);
    List<JsonObject> b = board.lease(1, "node-b", 0, 60_000);
    assertEquals(1, board.pendingCount());
    assertEquals(1, board.reclaim(500, Set.of("node-b")), "the holder left");
    assertEquals(1, board.reclaim(2000, Set.of()), "the lease expired");
    assertEquals(3, board.pendingCount());
    assertNull(board.release(a.get(0).getString("taskId"), a.get(0).getString("leaseId")), "the old lease is void");
    List<JsonObject> again = board.lease(3, "node-c", 2000, 1000);
    assertEquals(3, again.size());
    assertTrue(again.stream().anyMatch(t -> t.getString("taskId").equals(b.get(0).getString("taskId"))));
  }

  @Test
  void drainReturnsEverythingOutstanding() {
    TaskBoard board = new TaskBoard("s");
    for (int i = 0; i < 4; i++) board.add(board.newTask(new JsonArray(), 10));
    board.lease(2, "n", 0, 1000);
    assertEquals(4, board.drain().size());
    assertTrue(board.idle());
  }
}
