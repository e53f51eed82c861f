package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ModelReview;
import io.github.cgscanner.domain.Projects;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.domain.ScanVerdict;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.domain.VerifyMode;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.source.GitSource;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.store.ScanRecords;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One running scan: the only object that holds its state, on its coordinator's event loop. Its status
 * changes only through {@link #fetching()}, {@link #scanning()} and {@link #end(ScanVerdict)}, which
 * follow {@link ScanStatus#canMoveTo}; {@link ScanVerdict} decides which final status a scan gets.
 *
 * <p>What each transition releases: {@link #fetching()} takes a preparation slot; {@link #end} cancels
 * the blocking work still running ({@link #cancellation()}), drains the task board and counts every file
 * not reached as failed, drops the submitted source (a git token, unmasked inline files) and leaves the
 * workspace to be deleted once the preparation has really stopped ({@link #preparationDone()}).
 */
final class ScanRun {
  final String id;
  final String owner;
  final ScanOptions options;
  final Instant createdAt;
  final String model;
  final String promptVersion;
  final String coordinatorNode;
  final String uploadFile;
  final String sourceKind;
  /** {@code options.project}, else the one derived from a git URL, else null (SPEC "Projects"). */
  final String project;
  /** The git ref asked for, with the project what "the latest scan of a project and ref" means. */
  final String ref;
  final boolean modelExpected;
  final FileProgress files = new FileProgress();
  final RunUsage usage = new RunUsage();
  final Sharing sharing;
  final FindingBook findings = new FindingBook();
  final RunVerification verification;
  private final Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
  private final Cancellation cancellation = new Cancellation();

  private SourceSpec source;
  private String sourceName;
  private String commit;
  private ScanStatus status = ScanStatus.QUEUED;
  private Instant startedAt;
  private Instant finishedAt;
  private ModelReview modelReview;
  private FailureCode errorCode;
  private String errorMessage;
  private Path workspace;
  private Future<?> preparation = Future.succeededFuture();
  private TaskBoard tasks;

  /** The fencing token this coordinator writes the scan under (see {@link ScanRecords#OWNER_VERSION}). */
  long ownerVersion = 1;
  /** A resume is replaying what the store says was done: it is not written again. */
  boolean replaying;
  /** Event sequence numbers: the last one given out. */
  long seq;
  int pendingRetries;
  /** Tasks being looked up in the review cache: not on the board yet, not resolved either. */
  int cacheLookups;
  /** The review cache key of each task not yet answered, by task id. */
  final Map<String, String> reviewKeys = new java.util.HashMap<>();
  boolean progressDirty;
  /** Its work is done and its completion waits for the last writes of its log. */
  boolean completing;
  /** The model the scan's chunks are planned and its reviews cached for (the tightest key it may use). */
  String reviewModel;
  long lastProgressAt;

  ScanRun(String id, String owner, SourceSpec source, ScanOptions options, String uploadFile, Identity identity) {
    this(id, owner, options, Instant.now(), uploadFile, identity, source.kind(), source.displayName(),
        projectOf(options, source), source instanceof GitSource g ? g.ref() : null);
    this.source = source;
  }

  private ScanRun(String id, String owner, ScanOptions options, Instant createdAt, String uploadFile, Identity identity,
      String sourceKind, String sourceName, String project, String ref) {
    this.id = id;
    this.owner = owner;
    this.options = options;
    this.createdAt = createdAt;
    this.uploadFile = uploadFile;
    this.model = identity.model();
    this.promptVersion = identity.promptVersion();
    this.coordinatorNode = identity.coordinatorNode();
    this.modelExpected = identity.modelExpected();
    this.sourceKind = sourceKind;
    this.sourceName = sourceName;
    this.project = project;
    this.ref = ref;
    this.sharing = new Sharing(coordinatorNode);
    this.verification = new RunVerification(options.verify() != null ? options.verify() : identity.verify(), modelExpected);
    for (Severity s : Severity.values()) bySeverity.put(s, 0);
  }

  private static String projectOf(ScanOptions options, SourceSpec source) {
    if (options.project() != null) return options.project();
    return source instanceof GitSource g ? Projects.fromGitUrl(g.url()) : null;
  }

  /**
   * A scan taken over from its stored record (its coordinator stopped): still scanning, coordinated here
   * from now on, under the record's owner version; its times, counters and sequence numbers go on.
   */
  static ScanRun resumed(JsonObject record, Identity identity) {
    JsonObject source = record.getJsonObject("source", new JsonObject());
    ScanOptions options = ScanOptions.fromJson(record.getJsonObject(ScanRecords.OPTIONS, new JsonObject()));
    ScanRun run = new ScanRun(record.getString("id"), record.getString(ScanRecords.OWNER), options,
        Instant.parse(record.getString("createdAt")), null, identity.withModel(record.getString("model", identity.model())),
        source.getString("kind"), source.getString("name"), record.getString("project"), record.getString(ScanRecords.REF));
    run.commit = source.getString("commit");
    run.status = ScanStatus.FETCHING;
    String started = record.getString("startedAt");
    run.startedAt = started == null ? Instant.now() : Instant.parse(started);
    run.ownerVersion = ScanRecords.ownerVersion(record);
    run.seq = ScanRecords.lastSeq(record);
    return run;
  }

  /**
   * What every scan of one coordinator shares; {@code model} names the models that may review it,
   * {@code verify} is the pass's mode unless a scan's options say otherwise.
   */
  record Identity(String model, String promptVersion, String coordinatorNode, boolean modelExpected, VerifyMode verify) {
    Identity withModel(String models) {
      return new Identity(models, promptVersion, coordinatorNode, modelExpected, verify);
    }
  }

  /** Work that is neither on the board nor resolved: retries waiting for their timer, cache lookups. */
  boolean workOutsideTheBoard() {
    return pendingRetries > 0 || cacheLookups > 0;
  }

  // ---- transitions ----

  void fetching() {
    moveTo(ScanStatus.FETCHING);
    startedAt = Instant.now();
  }

  void scanning(TaskBoard board) {
    moveTo(ScanStatus.SCANNING);
    tasks = board;
    sharing.scanningAt = System.currentTimeMillis();
  }

  /**
   * Ends the scan. Tasks not yet answered are given up with the failure's code as their files' reason
   * (or {@code model_error}), and files never reached count as failed, so that at the end
   * {@code filesScanned + filesFailed = filesTotal}. Verification requests not answered count no file:
   * their findings are reported unverified by {@link Verifier#flush}.
   */
  void end(ScanVerdict verdict) {
    moveTo(verdict.status());
    cancellation.cancel();
    if (tasks != null) {
      String reason = verdict.code() == null ? "model_error" : verdict.code().wire();
      for (ReviewTask task : tasks.drain()) {
        if (!task.isVerification()) files.resolve(task, reason);
      }
      tasks = null;
    }
    if (verdict.code() != null) files.failUnresolved();
    modelReview = verdict.review();
    errorCode = verdict.code();
    errorMessage = verdict.message();
    finishedAt = Instant.now();
    source = null;
  }

  private void moveTo(ScanStatus next) {
    if (!status.canMoveTo(next)) throw new IllegalStateException("scan " + id + ": " + status + " -> " + next);
    status = next;
  }

  /** The verdict for a scan whose work is all resolved; see {@link ScanVerdict#ofResolvedWork}. */
  ScanVerdict verdictOfResolvedWork() {
    return ScanVerdict.ofResolvedWork(work());
  }

  ScanVerdict failure(FailureCode code, String message) {
    return ScanVerdict.failed(code, message, work());
  }

  private ScanVerdict.Work work() {
    return new ScanVerdict.Work(modelExpected, tasks == null ? 0 : tasks.created(), usage.reviewedChunks, files.scanned,
        files.failed);
  }

  // ---- state, read by the orchestration ----

  ScanStatus status() {
    return status;
  }

  boolean finished() {
    return status.isFinal();
  }

  boolean scanningNow() {
    return status == ScanStatus.SCANNING && tasks != null;
  }

  TaskBoard tasks() {
    return tasks;
  }

  Cancellation cancellation() {
    return cancellation;
  }

  /** The submitted source, until it is fetched or the scan ends: it may hold a git token or unmasked file contents. */
  SourceSpec source() {
    return source;
  }

  /** The source is on disk: what was submitted to fetch it (a git token, unmasked inline files) is dropped now. */
  void fetched(String name, String resolvedCommit) {
    sourceName = name;
    commit = resolvedCommit;
    source = null;
  }

  Path workspace() {
    return workspace;
  }

  void workspace(Path dir) {
    workspace = dir;
  }

  /** Completes when the blocking preparation has stopped, whatever its outcome. */
  Future<?> preparationDone() {
    return preparation.transform(ar -> Future.succeededFuture());
  }

  void preparing(Future<?> running) {
    preparation = running;
  }

  Instant deadline(java.time.Duration maxDuration) {
    return createdAt.plus(maxDuration);
  }

  /** Counts a reported finding in {@code findingsBySeverity} (rejected ones are not counted). */
  void countFinding(Finding f) {
    bySeverity.merge(f.severity(), 1, Integer::sum);
  }

  // ---- the API Scan ----

  JsonObject toJson() {
    JsonObject sev = new JsonObject();
    bySeverity.forEach((s, n) -> sev.put(s.wire(), n));
    return new JsonObject()
        .put("id", id)
        .put("project", project)
        .put("status", status.wire())
        .put("createdAt", createdAt.toString())
        .put("startedAt", startedAt == null ? null : startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("source", new JsonObject().put("kind", sourceKind).put("name", sourceName).put("commit", commit))
        .put("model", model)
        .put("promptVersion", promptVersion)
        .put("idVersion", FindingIds.ID_VERSION)
        .put("coordinator", coordinatorNode)
        .put("workers", new JsonArray(new ArrayList<>(sharing.workers)))
        .put("sharded", sharing.sharded)
        .put("modelReview", modelReview == null ? null : modelReview.wire())
        .put("progress", files.progressJson())
        .put("skipped", files.skippedJson())
        .put("failedFiles", files.failedJson())
        .put("estimate", usage.estimateJson())
        .put("usage", usage.toJson())
        .put("findingsBySeverity", sev)
        .put("verification", verification.toJson())
        .put("error", errorCode == null ? null : new JsonObject().put("code", errorCode.wire()).put("message", errorMessage));
  }

  /** The stored form, counting {@code eventsToCome} that are about to be appended. */
  JsonObject toRecord(int eventsToCome) {
    return toJson().put(ScanRecords.OWNER, owner).put(ScanRecords.COORDINATOR_NODE, coordinatorNode)
        .put(ScanRecords.LAST_SEQ, seq + eventsToCome).put(ScanRecords.REF, ref).put(ScanRecords.OWNER_VERSION, ownerVersion)
        .put(ScanRecords.OPTIONS, options.toJson());
  }

  /** Who works on a sharded scan, and what peers did. */
  static final class Sharing {
    final List<String> workers = new ArrayList<>();
    boolean sharded;
    long scanningAt;
    long lastLeaseAt;
    /** File parts answered under leases held by peers. */
    int filesByPeer;
    final java.util.Set<String> helpersStarted = new java.util.HashSet<>();

    Sharing(String coordinator) {
      workers.add(coordinator);
    }
  }
}
