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

class TaskBoardLeaseTest {
  @Test
  void leasesOfAGoneHolderReturnAtOnceAndTheirLateResultsAreIgnored() {
    TaskBoard board = new TaskBoard("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(new JsonArray().add(new JsonObject().put("path", "f" + i)), 10));
    List<JsonObject> peer = board.lease(2, "peer", 0, 1_000_000);
    List<JsonObject> local = board.lease(1, "self", 0, 1_000_000);
    assertEquals(0, board.reclaim(1, Set.of("someone-else")));
    assertEquals(2, board.reclaim(1, Set.of("peer")), "the peer's leases come back without waiting for their expiry");
    assertEquals(2, board.pendingCount());

    List<JsonObject> again = board.lease(2, "self", 2, 1_000_000);
    assertEquals(peer.stream().map(t -> t.getString("taskId")).sorted().toList(),
        again.stream().map(t -> t.getString("taskId")).sorted().toList());
    for (JsonObject late : peer) {
      assertNull(board.release(late.getString("taskId"), late.getString("leaseId")), "a late result of a reclaimed lease");
    }
    for (JsonObject t : again) {
      assertNotNull(board.release(t.getString("taskId"), t.getString("leaseId")));
      assertNull(board.release(t.getString("taskId"), t.getString("leaseId")), "a repeated result counts once");
    }
    assertNotNull(board.release(local.get(0).getString("taskId"), local.get(0).getString("leaseId")));
    assertTrue(board.idle());
  }
}
