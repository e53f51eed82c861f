package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.ReviewTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The review tasks of one scan: pending, leased (to a key of this worker or of a peer) and what each
 * has cost so far in attempts and hand-backs. A lease covers one model request: the holder may keep it
 * unsent for at most its hold time and the request is bounded by the request timeout, so a lease that
 * outlives its expiry belongs to a holder that is gone. Every task has a bounded number of attempts and
 * of hand-backs, so a task that stalls or kills its holders cannot loop for ever.
 */
final class TaskBoard {
  record Lease(String leaseId, String holder, String requestId, long expiresAt, ReviewTask task) {}

  /** What came back from lapsed leases: to queue again, or to give up on (attempts spent). */
  record Reclaimed(List<ReviewTask> requeued, List<ReviewTask> exhausted) {}

  private final ReviewTask template;
  private final int maxAttempts;
  private final int maxHandBacks;
  private final Deque<ReviewTask> pending = new ArrayDeque<>();
  private final Map<String, Lease> leased = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, Integer> handBacks = new HashMap<>();
  private int nextTaskNo;
  private int created;

  /** @param template the scan's fixed task fields (scan id, reply address, model, cache key, instructions) */
  TaskBoard(ReviewTask template, int maxAttempts, int maxHandBacks) {
    this.template = template;
    this.maxAttempts = maxAttempts;
    this.maxHandBacks = maxHandBacks;
  }

  ReviewTask template() {
    return template;
  }

  ReviewTask newTask(List<ReviewTask.Part> parts, long estimatedTokens) {
    created++;
    return template.withParts(template.scanId() + ":" + nextTaskNo++, parts, estimatedTokens);
  }

  /** A resumed scan's board: new task ids (splits, verifications) follow the stored ones, which count as made. */
  void continueAfter(int lastTaskNo, int tasksMade) {
    nextTaskNo = Math.max(nextTaskNo, lastTaskNo + 1);
    created = tasksMade;
  }

  /** A verification request; not counted in {@link #created()}, which counts the review's tasks. */
  ReviewTask newVerification(List<ReviewTask.Part> parts, List<ReviewTask.VerifyItem> items, long estimatedTokens) {
    return template.verifying(template.scanId() + ":v" + nextTaskNo++, parts, items, estimatedTokens);
  }

  void add(ReviewTask task) {
    pending.addLast(task);
  }

  /** Ahead of every task waiting (see {@link Verifier} for why verifications go first). */
  void addAhead(ReviewTask task) {
    pending.addFirst(task);
  }

  /** Work that failed once goes to the front: it is older than everything queued behind it. */
  void requeue(ReviewTask task) {
    pending.addFirst(task);
  }

  List<ReviewTask> lease(int max, String holder, String requestId, long now, long ttlMs, long holdMs) {
    List<ReviewTask> out = new ArrayList<>();
    while (out.size() < max && !pending.isEmpty()) {
      ReviewTask task = pending.pollFirst();
      String leaseId = UUID.randomUUID().toString();
      leased.put(task.taskId(), new Lease(leaseId, holder, requestId, now + ttlMs, task));
      out.add(task.leased(leaseId, attempts.getOrDefault(task.taskId(), 0), holdMs));
    }
    return out;
  }

  /** @return the lease the result answers, or null for a late or repeated result (to be ignored) */
  Lease release(String taskId, String leaseId) {
    Lease lease = leased.get(taskId);
    if (lease == null || !lease.leaseId().equals(leaseId)) return null;
    leased.remove(taskId);
    return lease;
  }

  /** The current leases a {@link LeaseRelease} names, taken off the board (the caller hands them back). */
  List<ReviewTask> released(LeaseRelease r) {
    List<ReviewTask> out = new ArrayList<>();
    if (r.requestId() != null) {
      for (Iterator<Lease> it = leased.values().iterator(); it.hasNext(); ) {
        Lease lease = it.next();
        if (r.requestId().equals(lease.requestId())) {
          it.remove();
          out.add(lease.task());
        }
      }
    }
    for (LeaseRelease.Lease l : r.leases()) {
      Lease lease = release(l.taskId(), l.leaseId());
      if (lease != null) out.add(lease.task());
    }
    return out;
  }

  /** @return the attempts made so far, this one included */
  int countAttempt(String taskId) {
    return attempts.merge(taskId, 1, Integer::sum);
  }

  /**
   * A task given back unsent goes to the front of the queue.
   *
   * @return false when it was handed back too often (the caller gives up on it)
   */
  boolean handBack(ReviewTask task) {
    if (handBacks.merge(task.taskId(), 1, Integer::sum) > maxHandBacks) return false;
    pending.addFirst(task);
    return true;
  }

  /** Leases past their expiry, or held by a node that left: each counts as an attempt. */
  Reclaimed reclaim(long now, Set<String> goneHolders) {
    List<ReviewTask> requeued = new ArrayList<>();
    List<ReviewTask> exhausted = new ArrayList<>();
    for (Iterator<Lease> it = leased.values().iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      if (lease.expiresAt() < now || goneHolders.contains(lease.holder())) {
        it.remove();
        if (countAttempt(lease.task().taskId()) >= maxAttempts) {
          exhausted.add(lease.task());
        } else {
          pending.addFirst(lease.task());
          requeued.add(lease.task());
        }
      }
    }
    return new Reclaimed(requeued, exhausted);
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  int pendingCount() {
    return pending.size();
  }

  int leasedCount() {
    return leased.size();
  }

  /** Review tasks made so far, splits included. */
  int created() {
    return created;
  }

  boolean idle() {
    return pending.isEmpty() && leased.isEmpty();
  }

  /** Drops everything not yet answered (cancel, failure); returns the tasks that were outstanding. */
  List<ReviewTask> drain() {
    List<ReviewTask> out = new ArrayList<>(pending);
    leased.values().forEach(l -> out.add(l.task()));
    pending.clear();
    leased.clear();
    return out;
  }
}
