package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.ReviewTask;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskBoardLeaseTest {
  @Test
  void leasesOfAGoneHolderReturnAtOnceAndTheirLateResultsAreIgnored() {
    TaskBoard board = Tasks.board("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(List.of(Tasks.part("f" + i)), 10));
    List<ReviewTask> peer = board.lease(2, "peer", "r1", 0, 1_000_000, 0);
    List<ReviewTask> local = board.lease(1, "self", "r2", 0, 1_000_000, 0);
    assertEquals(0, board.reclaim(1, Set.of("someone-else")).requeued().size());
    assertEquals(2, board.reclaim(1, Set.of("peer")).requeued().size(),
        "the peer's leases come back without waiting for their expiry");
    assertEquals(2, board.pendingCount());

    List<ReviewTask> again = board.lease(2, "self", "r3", 2, 1_000_000, 0);
    assertEquals(peer.stream().map(ReviewTask::taskId).sorted().toList(), again.stream().map(ReviewTask::taskId).sorted().toList());
    for (ReviewTask late : peer) {
      assertNull(board.release(late.taskId(), late.leaseId()), "a late result of a reclaimed lease");
    }
    for (ReviewTask t : again) {
      assertNotNull(board.release(t.taskId(), t.leaseId()));
      assertNull(board.release(t.taskId(), t.leaseId()), "a repeated result counts once");
    }
    assertNotNull(board.release(local.get(0).taskId(), local.get(0).leaseId()));
    assertTrue(board.idle());
  }
}
