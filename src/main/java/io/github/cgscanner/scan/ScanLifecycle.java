package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.domain.ScanVerdict;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.source.SourceFailure;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.source.WorkRoot;
import io.github.cgscanner.source.Workspaces;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the scans this worker coordinates, from admission to their end: where each transition of
 * {@link ScanRun} is taken and what it sets off. Confined to the coordinator verticle's event loop; the
 * blocking preparation runs on the scanner worker pool.
 */
final class ScanLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ScanLifecycle.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long a submission waits for its scan to be stored before the client is told to try again. */
  private static final long ACK_TIMEOUT_S = 10;

  private final RunningScans scans;
  private final Admission admission;
  private final ScannerConfig.Scan limits;
  private final PoolModels pool;
  private final ScanRun.Identity identity;
  private final WorkerExecutor blocking;
  private final WorkRoot workRoot;
  private final RunEvents events;
  private final ScanPreparation preparation;
  private final KeyStates keys;
  private final WorkNotifier notifier;
  private final Recruiter recruiter;
  private final Verifier verifier;
  private final CachedReviews reviews;
  private final TaskJournal journal;

  ScanLifecycle(CoordinatorContext c, RunningScans scans, RunEvents events, KeyStates keys, WorkNotifier notifier, Recruiter recruiter,
      Verifier verifier, CachedReviews reviews, TaskJournal journal) {
    this.journal = journal;
    this.scans = scans;
    this.limits = c.scan();
    this.pool = c.pool();
    this.admission = new Admission(limits);
    this.identity = c.identity();
    this.blocking = c.blocking();
    this.workRoot = c.workRoot();
    this.events = events;
    this.keys = keys;
    this.notifier = notifier;
    this.recruiter = recruiter;
    this.verifier = verifier;
    this.reviews = reviews;
    this.preparation = new ScanPreparation(c.sources(), limits, options -> pool.planning(options.models()));
  }

  static String newScanId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  Admission admission() {
    return admission;
  }

  Future<JsonObject> submit(SubmitScan submit) {
    if (!admission.hasRoom()) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 429, "this worker is full"));
    }
    SourceSpec spec = SourceSpec.fromJson(submit.source());
    ScanRun run = new ScanRun(newScanId(), submit.owner(), spec, submit.options(), submit.uploadFile(),
        identity.withModel(pool.describe(submit.options().models())));
    scans.add(run);
    events.status(run);
    JsonObject accepted = run.toJson();
    admission.enqueue(run);
    startNext();
    // A client is told its scan was accepted only once the scan is stored.
    return events.log().whole(run.id).timeout(ACK_TIMEOUT_S, TimeUnit.SECONDS).transform(ar -> {
      if (ar.succeeded() && ar.result()) return Future.succeededFuture(accepted);
      LOG.warn("scan {}: not acknowledged: the scan store did not take it in {} s", run.id, ACK_TIMEOUT_S);
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "the scan store is unavailable"));
    });
  }

  private void startNext() {
    for (ScanRun run : admission.startable()) start(run);
  }

  private void start(ScanRun run) {
    run.fetching();
    events.status(run);
    SourceSpec spec = run.source();
    Cancellation cancel = run.cancellation();
    Future<ScanPreparation.Prepared> prepared = blocking.<ScanPreparation.Prepared>executeBlocking(() -> {
          Path workspace = workRoot.newWorkspace();
          run.workspace(workspace);
          return preparation.fetchAndSelect(spec, run.options, workspace, cancel);
        }, false)
        .compose(selected -> {
          run.fetched(selected.fetched().name(), selected.fetched().commit());
          // The verification pass shows whole files after their chunks are gone: their masked texts stay in the workspace.
          Path keepMasked = run.verification.active() ? run.workspace() : null;
          String cacheScope = reviews.scope(run);
          run.reviewModel = pool.planning(run.options.models()).name();
          return blocking.executeBlocking(() -> preparation.checkAndChunk(selected, run.options, run.modelExpected, keepMasked,
              cacheScope, cancel),
              false);
        });
    run.preparing(prepared);
    run.preparationDone().onComplete(v -> admission.prepared(run));
    prepared.onComplete(ar -> {
      if (run.finished()) return;
      if (ar.succeeded()) {
        onPrepared(run, ar.result());
      } else if (ar.cause() instanceof ScanPreparation.Refused r) {
        fail(run, r.code, r.getMessage());
      } else if (ar.cause() instanceof SourceFailure f) {
        fail(run, FailureCode.parse(f.code()), f.getMessage());
      } else {
        LOG.warn("scan {}: preparation failed", run.id, ar.cause());
        fail(run, FailureCode.INTERNAL_ERROR, "the scan could not be prepared");
      }
    });
  }

  private void onPrepared(ScanRun run, ScanPreparation.Prepared p) {
    run.files.selected(p.selection().review().size(), p.selection().skipped());
    run.files.secretsChecked = p.selection().secretsCheckedNotSelected();
    run.usage.estimateTokens = p.estimateTokens();
    run.usage.estimateCostUsd = p.estimateCostUsd();
    run.verification.texts(p.masked());
    for (Finding f : p.localFindings()) {
      if (f.severity().atLeast(run.options.minSeverity())) verifier.local(run, f);
    }
    p.unreadable().forEach(run.files::failedBeforeReview);
    p.emptyFiles().forEach(path -> run.files.scannedWithoutModel());
    if (run.modelExpected && refusedBeforeReview(run)) return;
    TaskBoard board = new TaskBoard(template(run), limits.maxAttempts(), limits.maxAttempts() * 2);
    List<ReviewTask> tasks = new ArrayList<>();
    for (ScanPreparation.PreparedChunk chunk : p.chunks()) {
      ReviewTask task = board.newTask(chunk.parts(), chunk.tokens());
      if (chunk.reviewKey() != null) run.reviewKeys.put(task.taskId(), chunk.reviewKey());
      run.files.taskOpened(task);
      tasks.add(task);
    }
    journal.prepared(run, tasks, p.localFindings().stream().filter(f -> f.severity().atLeast(run.options.minSeverity())).toList(),
        p.unreadable(), p.emptyFiles().size());
    run.scanning(board);
    events.status(run);
    if (run.reviewKeys.isEmpty()) {
      tasks.forEach(board::add);
      opened(run);
      return;
    }
    reviews.lookUp(run, tasks, task -> {
      boolean wasDry = !board.hasPending();
      board.add(task);
      // Dispatchers drop a scan whose board ran dry: tell them again, not once per miss.
      if (wasDry) notifier.workAvailable(run);
    }, () -> opened(run));
  }

  /** The board holds every task the cache did not answer: peers may help, and a scan with nothing left ends. */
  void opened(ScanRun run) {
    if (run.tasks().hasPending()) {
      notifier.workAvailable(run);
      recruiter.recruit(run);
    }
    settle(run);
  }

  /** Ends a scanning scan whose every task is resolved; else reports progress. */
  void settle(ScanRun run) {
    if (!run.scanningNow()) return;
    events.progressChanged(run, System.currentTimeMillis());
    if (run.tasks().idle() && !run.workOutsideTheBoard() && run.verification.settled()) {
      finish(run, run.verdictOfResolvedWork());
    }
  }

  /** Budgets and keys are checked before the first model call: failing here costs nothing. */
  private boolean refusedBeforeReview(ScanRun run) {
    if (run.usage.estimateTokens > limits.maxTokens()) {
      fail(run, FailureCode.BUDGET_EXCEEDED, "the scan needs about " + run.usage.estimateTokens
          + " model tokens; the limit is " + limits.maxTokens() + " (scan.maxTokens, SCANNER_MAX_TOKENS_PER_SCAN)");
      return true;
    }
    Double maxCost = run.options.maxCostUsd();
    if (maxCost != null && run.usage.estimateCostUsd > maxCost) {
      fail(run, FailureCode.BUDGET_EXCEEDED, String.format("the scan would cost about $%.4f; options.maxCostUsd is $%.4f",
          run.usage.estimateCostUsd, maxCost));
      return true;
    }
    if (!pool.serves(run.options.models())) {
      fail(run, FailureCode.NO_USABLE_KEY, "no API key of this worker serves options.models (" + String.join(", ", run.options.models())
          + "); its keys serve " + pool.served());
      return true;
    }
    FailureCode unusable = keys.unusable(run.options.models());
    if (unusable != null) {
      fail(run, unusable, KeyStates.message(unusable));
      return true;
    }
    return false;
  }

  /** A scan this worker took over from a stopped one, rebuilt by {@link Resumption}: it is coordinated here from now on. */
  void adopt(ScanRun run, TaskBoard board) {
    scans.add(run);
    admission.resumed();
    run.scanning(board);
    events.status(run);
  }

  /**
   * Another worker took the scan over (this one was thought gone: a long pause, a partition): it is
   * dropped from memory without another write, which the store would refuse anyway.
   */
  void relinquish(String scanId) {
    ScanRun run = scans.get(scanId);
    if (run == null) return;
    LOG.warn("scan {}: another worker took it over; this worker stops coordinating it", scanId);
    journal.forget(scanId);
    events.log().forget(scanId);
    release(run);
  }

  /** The scan leaves this worker's memory, unfinished in the store: what was queued for it is still written. */
  void release(ScanRun run) {
    if (!run.finished()) {
      boolean wasRunning = run.status().isActive();
      run.end(run.failure(FailureCode.INTERRUPTED, "left to another worker"));
      admission.ended(run, wasRunning);
    }
    scans.remove(run);
    run.preparationDone().compose(v -> blocking.executeBlocking(() -> {
      if (run.workspace() != null) Workspaces.deleteTree(run.workspace());
      return null;
    }, false));
    startNext();
  }

  ReviewTask template(ScanRun run) {
    return new ReviewTask(null, run.id, Addresses.results(identity.coordinatorNode()), null, 0, 0,
        run.options.models(), "scan-" + run.id, run.options.instructions(), List.of(), 0);
  }

  // ---- the end ----

  /** Whether the scan is still in this worker's memory (running, or finished with its log not yet written). */
  boolean isKnown(String scanId) {
    return scans.get(scanId) != null;
  }

  Future<JsonObject> cancel(String scanId) {
    ScanRun run = scans.get(scanId);
    if (run == null) return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "not found"));
    if (run.finished()) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, run.status().wire()));
    }
    finish(run, run.failure(FailureCode.CANCELLED, "the scan was cancelled"));
    return Future.succeededFuture(run.toJson());
  }

  void fail(ScanRun run, FailureCode code, String message) {
    finish(run, run.failure(code, message));
  }

  /**
   * Ends the scan with {@code verdict}. A scan completes only once every event it wrote is stored: a
   * completion waits for its log, and becomes {@code store_unavailable} when a write was lost. Any other
   * end is immediate.
   */
  void finish(ScanRun run, ScanVerdict verdict) {
    if (run.finished()) return;
    if (verdict.status() != ScanStatus.COMPLETED) {
      end(run, verdict);
      return;
    }
    if (run.completing) return;
    run.completing = true;
    events.log().whole(run.id).onComplete(ar -> {
      if (run.finished()) return;
      end(run, ar.succeeded() && ar.result() ? verdict
          : run.failure(FailureCode.STORE_UNAVAILABLE, "some of the scan's results could not be stored; the scan cannot be reported complete"));
    });
  }

  private void end(ScanRun run, ScanVerdict verdict) {
    boolean wasRunning = run.status().isActive();
    run.end(verdict);
    verifier.flush(run, verdict.code() == null ? "scan_ended" : verdict.code().wire());
    events.ended(run);
    LOG.info("scan {} {}{} — {} files scanned, {} failed, {} findings, {} requests", run.id, run.status().wire(),
        verdict.code() == null ? "" : " (" + verdict.code().wire() + ")", run.files.scanned, run.files.failed,
        run.findings.size(), run.usage.requests);
    if (run.sharing.sharded) {
      LOG.info("scan {}: {} file parts reviewed by peers {}", run.id, run.sharing.filesByPeer,
          run.sharing.workers.subList(1, run.sharing.workers.size()));
    }
    admission.ended(run, wasRunning);
    cleanUp(run);
    startNext();
  }

  /** The workspace goes once the preparation has really stopped; the run leaves memory once its log is written. */
  private void cleanUp(ScanRun run) {
    run.preparationDone()
        .compose(v -> blocking.executeBlocking(() -> {
          if (run.workspace() != null) Workspaces.deleteTree(run.workspace());
          if (run.uploadFile != null) Files.deleteIfExists(Path.of(run.uploadFile));
          return null;
        }, false))
        .onFailure(err -> LOG.warn("scan {}: could not delete its workspace: {}", run.id, err.getMessage()));
    // The tasks go only once the end is stored: a resume before that would find nothing to resume from.
    events.log().settle(run.id).onComplete(v -> {
      scans.remove(run);
      journal.ended(run);
    });
  }

  /** Periodic: deadlines, progress, lapsed leases. */
  void tick(long now) {
    for (ScanRun run : scans.all()) {
      if (run.finished()) continue;
      if (now > run.deadline(limits.maxDuration()).toEpochMilli()) {
        fail(run, FailureCode.DEADLINE_EXCEEDED, "the scan ran longer than scan.maxDuration (" + limits.maxDuration() + ")");
        continue;
      }
      if (run.scanningNow()) events.flushProgress(run, now);
    }
  }

  void storeFailed(String scanId) {
    ScanRun run = scans.get(scanId);
    if (run != null && !run.finished()) {
      fail(run, FailureCode.STORE_UNAVAILABLE, "the scan's state could not be written to its store");
    }
  }
}
