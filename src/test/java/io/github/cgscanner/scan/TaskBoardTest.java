package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.ReviewTask;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskBoardTest {
  @Test
  void aResultCountsOnceAndOnlyForItsLease() {
    TaskBoard board = Tasks.board("s");
    board.add(board.newTask(List.of(), 10));
    List<ReviewTask> leased = board.lease(5, "node-a", "r1", 0, 1000, 500);
    assertEquals(1, leased.size());
    assertEquals(500, leased.get(0).holdMs(), "the holder learns how long it may keep the task unsent");
    String taskId = leased.get(0).taskId();
    String leaseId = leased.get(0).leaseId();
    assertNull(board.release(taskId, "someone-else"));
    assertNotNull(board.release(taskId, leaseId));
    assertNull(board.release(taskId, leaseId), "a repeated result is ignored");
    assertTrue(board.idle());
  }

  @Test
  void aVerificationGoesAheadOfTheWaitingReviewsAndIsNotCountedAsOne() {
    TaskBoard board = Tasks.board("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(List.of(Tasks.part("f" + i)), 10));
    ReviewTask verify = board.newVerification(List.of(Tasks.part("f9")), List.of(new ReviewTask.VerifyItem("x", "f9", 1, 1, "t", "e")), 10);
    board.addAhead(verify);
    assertEquals(3, board.created(), "created counts the review's tasks");
    List<ReviewTask> next = board.lease(1, "node-a", "r1", 0, 1000, 0);
    assertEquals(verify.taskId(), next.get(0).taskId());
    assertTrue(next.get(0).isVerification());
  }

  @Test
  void lapsedAndOrphanedLeasesGoBackToTheQueueAsAttempts() {
    TaskBoard board = Tasks.board("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(List.of(), 10));
    List<ReviewTask> a = board.lease(1, "node-a", "r1", 0, 1000, 0);
    List<ReviewTask> b = board.lease(1, "node-b", "r2", 0, 60_000, 0);
    assertEquals(1, board.pendingCount());
    assertEquals(1, board.reclaim(500, Set.of("node-b")).requeued().size(), "the holder left");
    assertEquals(1, board.reclaim(2000, Set.of()).requeued().size(), "the lease expired");
    assertEquals(3, board.pendingCount());
    assertNull(board.release(a.get(0).taskId(), a.get(0).leaseId()), "the old lease is void");
    List<ReviewTask> again = board.lease(3, "node-c", "r3", 2000, 1000, 0);
    assertEquals(3, again.size());
    assertTrue(again.stream().anyMatch(t -> t.taskId().equals(b.get(0).taskId())));
    assertTrue(again.stream().anyMatch(t -> t.taskId().equals(a.get(0).taskId()) && t.attempt() == 1),
        "a reclaimed lease counted as an attempt");
  }

  @Test
  void aTaskThatKeepsLosingItsLeaseIsGivenUpAfterItsAttempts() {
    TaskBoard board = Tasks.board("s", 3, 12);
    board.add(board.newTask(List.of(), 10));
    for (int i = 0; i < 2; i++) {
      board.lease(1, "h", "r", 0, 10, 0);
      assertEquals(1, board.reclaim(100, Set.of()).requeued().size());
    }
    board.lease(1, "h", "r", 0, 10, 0);
    TaskBoard.Reclaimed last = board.reclaim(100, Set.of());
    assertEquals(1, last.exhausted().size(), "the third lapse spends its last attempt");
    assertTrue(board.idle());
  }

  @Test
  void handBacksAreBounded() {
    TaskBoard board = Tasks.board("s", 6, 2);
    ReviewTask task = board.newTask(List.of(), 10);
    assertTrue(board.handBack(task));
    assertTrue(board.handBack(task));
    assertFalse(board.handBack(task), "a task that keeps coming back unsent cannot loop for ever");
  }

  @Test
  void aLeaseRoundWhoseAnswerWasLostIsReleasedWhole() {
    TaskBoard board = Tasks.board("s");
    for (int i = 0; i < 3; i++) board.add(board.newTask(List.of(), 10));
    board.lease(2, "peer", "lost-round", 0, 100_000, 0);
    List<ReviewTask> kept = board.lease(1, "peer", "other-round", 0, 100_000, 0);
    List<ReviewTask> back = board.released(LeaseRelease.ofRound("s", "lost-round"));
    assertEquals(2, back.size());
    assertEquals(1, board.leasedCount(), "only the lost round's leases");
    assertEquals(1, board.released(LeaseRelease.ofTasks("s", kept)).size());
    assertEquals(0, board.released(LeaseRelease.ofTasks("s", kept)).size(), "released once");
  }

  @Test
  void drainReturnsEverythingOutstanding() {
    TaskBoard board = Tasks.board("s");
    for (int i = 0; i < 4; i++) board.add(board.newTask(List.of(), 10));
    board.lease(2, "n", "r", 0, 1000, 0);
    assertEquals(4, board.drain().size());
    assertTrue(board.idle());
  }
}
