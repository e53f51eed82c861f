package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.LeaseGrant;
import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.LeaseRequest;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the work protocol: hands out tasks under leases to any worker's dispatcher,
 * takes them back unsent, and takes results: findings, retries, splits, budgets. A result for a lease
 * that is no longer current (re-queued, answered already) is ignored, so nothing counts twice. Confined
 * to the coordinator verticle's event loop, like {@link ScanLifecycle}, through which every scan ends.
 */
final class ScanWork {
  private static final Logger LOG = LoggerFactory.getLogger(ScanWork.class);
  /** A 429 says nothing about the chunk, only about the provider's budget: it may be retried far more often. */
  private static final int RATE_LIMIT_ALLOWANCE = 10;
  /** How long a key may hold a leased task unsent (waiting for its budget) before it must give it back. */
  static final long HOLD_MS = 30_000;

  private final Vertx vertx;
  private final ScannerConfig.Scan limits;
  private final String nodeId;
  private final RunningScans scans;
  private final KeyStates keys;
  private final WorkNotifier notifier;
  private final ScanLifecycle lifecycle;
  private final CachedReviews reviews;
  private final Answers answers;
  private final TaskJournal journal;
  /**
   * A lease outlives everything its holder may rightly do with it: the lease round's answer in transit,
   * the hold, the request, the result in transit. One older than this belongs to a holder that is gone.
   */
  private final long leaseTtlMs;

  ScanWork(Vertx vertx, CoordinatorContext c, RunningScans scans, KeyStates keys, WorkNotifier notifier,
      ScanLifecycle lifecycle, CachedReviews reviews, Answers answers, TaskJournal journal) {
    this.journal = journal;
    this.vertx = vertx;
    this.limits = c.scan();
    this.nodeId = c.nodeId();
    this.scans = scans;
    this.keys = keys;
    this.notifier = notifier;
    this.lifecycle = lifecycle;
    this.reviews = reviews;
    this.answers = answers;
    this.leaseTtlMs = 2 * CoordinatorClient.LEASE_TIMEOUT_MS + HOLD_MS + c.model().requestTimeout().toMillis() + 10_000;
  }

  LeaseGrant lease(LeaseRequest request) {
    ScanRun run = scans.scanning(request.scanId());
    if (run == null) return LeaseGrant.none();
    TaskBoard board = run.tasks();
    long now = System.currentTimeMillis();
    run.sharing.lastLeaseAt = now;
    String holder = request.holder() == null ? nodeId : request.holder();
    List<ReviewTask> tasks = board.lease(request.max(), holder, request.requestId(), now, leaseTtlMs, HOLD_MS);
    if (!tasks.isEmpty() && !holder.equals(nodeId) && run.sharing.helpersStarted.add(holder)) {
      LOG.info("scan {}: peer {} recruited in {} ms (its first lease)", run.id, holder, now - run.sharing.scanningAt);
    }
    return new LeaseGrant(tasks, board.hasPending(), board.pendingCount());
  }

  /** Leases that will not be sent come back at once, each counting as a hand-back. */
  void release(LeaseRelease release) {
    ScanRun run = scans.scanning(release.scanId());
    if (run == null) return;
    List<ReviewTask> back = run.tasks().released(release);
    for (ReviewTask task : back) handBack(run, task);
    if (!back.isEmpty()) notifier.workAvailable(run);
  }

  void onResult(TaskResult r) {
    ScanRun run = scans.scanning(r.scanId());
    if (run == null) return;
    TaskBoard.Lease lease = run.tasks().release(r.taskId(), r.leaseId());
    if (lease == null) return;
    ReviewTask task = lease.task();
    run.usage.add(r.usage(), task.isVerification());
    journal.spent(run, task, r.usage());
    if (r.outcome() == TaskResult.Outcome.OK && !task.isVerification() && !lease.holder().equals(nodeId)) {
      run.sharing.filesByPeer += task.parts().size();
    }
    switch (r.outcome()) {
      case OK -> {
        if (!task.isVerification()) {
          // Which model answered: a pool may mix them, and the review cache keeps what each found.
          for (Object o : r.findings()) ((JsonObject) o).put("model", r.model());
          reviews.store(run, task, r);
        }
        answers.accept(run, task, r);
      }
      case RETRY -> retry(run, task, r.reason() == null ? "retry" : r.reason(), r.retryAfterMs());
      case SPLIT -> split(run, task);
      case FAILED -> resolve(run, task, r.reason() == null ? "model_error" : r.reason());
    }
    afterChange(run);
  }

  private void resolve(ScanRun run, ReviewTask task, String failure) {
    answers.resolve(run, task, failure);
  }

  /** Periodic: leases past their expiry, or of holders that left, come back as failed attempts. */
  void reclaim(long now, Set<String> goneHolders) {
    for (ScanRun run : scans.all()) {
      if (!run.scanningNow()) continue;
      TaskBoard.Reclaimed r = run.tasks().reclaim(now, goneHolders);
      if (r.requeued().isEmpty() && r.exhausted().isEmpty()) {
        if (run.tasks().hasPending() && now - run.sharing.lastLeaseAt > 1000) notifier.workAvailable(run);
        continue;
      }
      LOG.info("scan {}: {} lapsed or orphaned lease(s) back in the queue, {} given up", run.id, r.requeued().size(),
          r.exhausted().size());
      for (ReviewTask task : r.exhausted()) resolve(run, task, "lease_expired");
      notifier.workAvailable(run);
      afterChange(run);
    }
  }

  private void afterChange(ScanRun run) {
    if (run.scanningNow()) checkBudget(run);
    lifecycle.settle(run);
  }

  private void handBack(ScanRun run, ReviewTask task) {
    if (!run.tasks().handBack(task)) {
      LOG.warn("scan {}: task {} was handed back too often; given up", run.id, task.taskId());
      resolve(run, task, "handed_back");
    }
  }

  private void retry(ScanRun run, ReviewTask task, String reason, long retryAfterMs) {
    TaskBoard board = run.tasks();
    if (reason.equals(TaskResult.HANDED_BACK)) {
      handBack(run, task);
      notifier.workAvailable(run);
      return;
    }
    if (reason.equals(TaskResult.KEY_DISABLED) || reason.equals(KeyState.MODEL_UNAVAILABLE)) {
      FailureCode unusable = keys.unusable(run.options.models());
      if (unusable != null) {
        lifecycle.fail(run, unusable, KeyStates.message(unusable));
        return;
      }
      handBack(run, task);
      notifier.workAvailable(run);
      return;
    }
    boolean rateLimited = reason.equals(TaskResult.RATE_LIMITED);
    int attempts = board.countAttempt(task.taskId() + (rateLimited ? "#rate_limited" : ""));
    if (attempts >= limits.maxAttempts() * (rateLimited ? RATE_LIMIT_ALLOWANCE : 1)) {
      resolve(run, task, reason);
      return;
    }
    long backoff = rateLimited ? retryAfterMs : Math.min(30_000, 250L << Math.min(attempts, 7));
    if (backoff <= 0) {
      board.requeue(task);
      notifier.workAvailable(run);
      return;
    }
    run.pendingRetries++;
    vertx.setTimer(backoff, t -> {
      run.pendingRetries--;
      if (!run.scanningNow()) return;
      run.tasks().requeue(task);
      notifier.workAvailable(run);
    });
  }

  /** An answer cut short: both halves go back to the queue, or the file fails when it cannot be cut. */
  private void split(ScanRun run, ReviewTask task) {
    List<ReviewTask> halves = TaskSplitter.halves(task, run.tasks());
    if (halves == null) {
      resolve(run, task, "truncated");
      return;
    }
    if (!task.isVerification()) {
      run.files.replaced(task, halves.get(0), halves.get(1));
      journal.split(run, task, halves);
      run.reviewKeys.remove(task.taskId());
      reviews.keyed(run, halves);
    }
    // Requeued at the front in reverse, so the first half is served first.
    run.tasks().requeue(halves.get(1));
    run.tasks().requeue(halves.get(0));
    notifier.workAvailable(run);
  }

  private void checkBudget(ScanRun run) {
    if (run.usage.tokens() > limits.maxTokens()) {
      lifecycle.fail(run, FailureCode.BUDGET_EXCEEDED, "the scan used more than " + limits.maxTokens() + " model tokens");
    } else if (run.options.maxCostUsd() != null && run.usage.costUsd > run.options.maxCostUsd()) {
      lifecycle.fail(run, FailureCode.BUDGET_EXCEEDED,
          String.format("the scan cost passed options.maxCostUsd ($%.4f)", run.options.maxCostUsd()));
    }
  }
}
