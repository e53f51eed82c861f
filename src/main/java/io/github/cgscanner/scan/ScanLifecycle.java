package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.chunk.Chunk;
import io.github.cgscanner.chunk.ChunkPart;
import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.llm.PromptBuilder;
import io.github.cgscanner.source.SourceFailure;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the scans this worker coordinates: admission, preparation, results, the end. Confined to
 * the coordinator verticle's event loop; the blocking preparation runs on the scanner worker pool.
 */
final class ScanLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ScanLifecycle.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  final Map<String, ScanState> scans = new LinkedHashMap<>();
  private final Deque<ScanState> queue = new ArrayDeque<>();
  private final Vertx vertx;
  private final ScannerConfig config;
  private final String nodeId;
  private final WorkerExecutor blocking;
  private final EventLog log;
  private final ScanPreparation preparation;
  private final KeyStates keys;
  private final WorkNotifier notifier;
  private final LoadRegistry registry;
  private int running;

  ScanLifecycle(Vertx vertx, ScannerConfig config, String nodeId, WorkerExecutor blocking, EventLog log,
      KeyStates keys, WorkNotifier notifier, LoadRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.blocking = blocking;
    this.log = log;
    this.keys = keys;
    this.notifier = notifier;
    this.registry = registry;
    this.preparation = new ScanPreparation(config);
  }

  static String newScanId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  int running() {
    return running;
  }

  int queued() {
    return queue.size();
  }

  boolean hasRoom() {
    return running < config.scan().maxRunning() || queue.size() < config.scan().maxQueued();
  }

  // ---- submit and admission ----

  Future<JsonObject> submit(JsonObject body) {
    if (!hasRoom()) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 429, "this worker is full"));
    }
    SourceSpec spec = SourceSpec.fromJson(body.getJsonObject("source"));
    ScanOptions options = ScanOptions.fromJson(body.getJsonObject("options"));
    ScanState s = new ScanState(newScanId(), body.getString("owner"), body.getJsonObject("source"), options,
        config.model().name(), PromptBuilder.PROMPT_VERSION, nodeId, spec.kind(), spec.displayName());
    s.uploadFile = body.getString("uploadFile");
    scans.put(s.id, s);
    log.save(s);
    log.append(s, "status", s.toJson());
    LOG.info("scan {} queued ({} source)", s.id, s.sourceKind);
    if (running < config.scan().maxRunning()) {
      start(s);
    } else {
      queue.addLast(s);
    }
    return Future.succeededFuture(s.toJson());
  }

  private void startNext() {
    while (running < config.scan().maxRunning() && !queue.isEmpty()) {
      start(queue.pollFirst());
    }
  }

  private void start(ScanState s) {
    running++;
    s.startedAt = Instant.now();
    setStatus(s, "fetching");
    SourceSpec spec = SourceSpec.fromJson(s.sourceSpec);
    boolean modelReview = config.modelReviewEnabled();
    blocking.<ScanPreparation.Prepared>executeBlocking(() -> {
          s.workspace = Files.createTempDirectory("scan-");
          return preparation.fetchAndSelect(spec, s.options, s.workspace);
        }, false)
        .compose(selected -> {
          if (s.finished()) return Future.succeededFuture(null);
          s.sourceName = selected.fetched().name();
          s.commit = selected.fetched().commit();
          return blocking.executeBlocking(() -> preparation.checkAndChunk(selected, s.options, modelReview), false);
        })
        .onSuccess(prepared -> {
          if (prepared != null && !s.finished()) onPrepared(s, prepared);
        })
        .onFailure(err -> {
          if (s.finished()) return;
          if (err instanceof ScanPreparation.Refused r) {
            fail(s, r.code, r.getMessage());
          } else if (err instanceof SourceFailure f) {
            fail(s, f.code(), f.getMessage());
          } else {
            LOG.warn("scan {}: preparation failed", s.id, err);
            fail(s, "internal_error", "the scan could not be prepared");
          }
        });
  }

  private void onPrepared(ScanState s, ScanPreparation.Prepared p) {
    var selection = p.selection();
    selection.skipped().forEach((reason, n) -> s.skipped.merge(reason, n, Integer::sum));
    s.filesSkipped = s.skipped.values().stream().mapToInt(Integer::intValue).sum();
    s.filesTotal = selection.review().size();
    s.filesSecretsChecked = selection.secretsCheckedNotSelected();
    s.estimateTokens = p.estimateTokens();
    s.estimateCostUsd = p.estimateCostUsd();
    for (Finding f : p.localFindings()) {
      if (f.severity().atLeast(s.options.minSeverity()) && s.findings.addLocalFinding(f) != null) {
        s.countFinding(f);
        log.append(s, "finding", f.toJson());
      }
    }
    p.unreadable().forEach((path, reason) -> {
      s.failedFiles.put(path, reason);
      s.filesFailed++;
    });
    if (!config.modelReviewEnabled()) {
      s.modelReview = "skipped";
      s.filesScanned = s.filesTotal - s.filesFailed;
      finish(s, "completed", null);
      return;
    }
    if (s.estimateTokens > config.scan().maxTokens()) {
      fail(s, "budget_exceeded", "the scan needs about " + s.estimateTokens + " model tokens; the limit is "
          + config.scan().maxTokens());
      return;
    }
    if (s.options.maxCostUsd() != null && s.estimateCostUsd > s.options.maxCostUsd()) {
      fail(s, "budget_exceeded", String.format("the scan would cost about $%.4f; options.maxCostUsd is $%.4f",
          s.estimateCostUsd, s.options.maxCostUsd()));
      return;
    }
    if (!keys.anyUsable()) {
      fail(s, "no_usable_key", "no API key of this worker can be used (all disabled)");
      return;
    }
    s.tasks = new TaskBoard(s.id);
    for (Chunk chunk : p.chunks()) {
      JsonObject task = s.tasks.newTask(ScanPreparation.parts(chunk, p.hintsByPath()), chunk.tokens())
          .put("replyTo", ScanCoordinatorVerticle.address(nodeId))
          .put("model", config.model().name())
          .put("promptCacheKey", "scan-" + s.id)
          .put("instructions", s.options.instructions());
      s.tasks.add(task);
      for (ChunkPart part : chunk.parts()) s.openTasksByFile.merge(part.path(), 1, Integer::sum);
    }
    s.filesScanned += p.emptyFiles().size();
    setStatus(s, "scanning");
    s.scanningAt = System.currentTimeMillis();
    if (s.tasks.idle()) {
      finish(s, "completed", null);
      return;
    }
    notifier.workAvailable(s);
    int wanted = helpersWanted(config.scan(), vertx.isClustered(), s.filesTotal);
    if (wanted > 0) recruit(s, wanted);
  }

  /** Peers to recruit for a scan of {@code filesTotal} files: none below the threshold or when alone. */
  static int helpersWanted(ScannerConfig.Scan scan, boolean clustered, int filesTotal) {
    if (!clustered || filesTotal < scan.shardThreshold() || scan.maxWorkersPerScan() < 2) return 0;
    return scan.maxWorkersPerScan() - 1;
  }

  /** Shares the scan with the least-loaded peers: their dispatchers lease its tasks like the local one. */
  private void recruit(ScanState s, int wanted) {
    registry.helpers(nodeId, wanted).onComplete(ar -> {
      if (!s.status.equals("scanning") || s.tasks == null) return;
      List<String> peers = ar.succeeded() ? ar.result() : List.of();
      if (peers.isEmpty()) {
        LOG.info("scan {}: {} files, but no peer can help; it stays on this worker", s.id, s.filesTotal);
        return;
      }
      for (String peer : peers) {
        if (!s.workers.contains(peer)) s.workers.add(peer);
      }
      s.sharded = true;
      log.save(s);
      notifier.workAvailable(s);
      LOG.info("scan {}: {} files shared with {} ({} ms to pick)", s.id, s.filesTotal, peers,
          System.currentTimeMillis() - s.scanningAt);
    });
  }

  // ---- the end ----

  Future<JsonObject> cancel(String scanId) {
    ScanState s = scans.get(scanId);
    if (s == null) return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "not found"));
    if (s.finished()) return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, s.status));
    queue.remove(s);
    finish(s, "cancelled", new JsonObject().put("code", "cancelled").put("message", "the scan was cancelled"));
    return Future.succeededFuture(s.toJson());
  }

  void fail(ScanState s, String code, String message) {
    finish(s, "failed", new JsonObject().put("code", code).put("message", message));
  }

  void finish(ScanState s, String status, JsonObject error) {
    if (s.finished()) return;
    boolean wasRunning = s.active();
    if (s.tasks != null) {
      String reason = error == null ? "model_error" : error.getString("code");
      for (JsonObject task : s.tasks.drain()) TaskAccounting.resolve(s, task, reason);
    }
    // Files never reached count as failed: at the end filesScanned + filesFailed = filesTotal.
    int unresolved = s.filesTotal - s.filesScanned - s.filesFailed;
    if (unresolved > 0 && error != null) s.filesFailed += unresolved;
    if (s.modelReview == null) {
      s.modelReview = s.requests == 0 && error != null ? "skipped" : !s.failedFiles.isEmpty() || error != null ? "partial" : "done";
    }
    s.status = status;
    s.error = error;
    s.finishedAt = Instant.now();
    log.append(s, "progress", s.progressJson());
    // The record first, as for every status change: whoever sees the final status event, then reads
    // the scan or the list, must find it finished.
    log.save(s, 2);
    log.append(s, "status", s.toJson());
    log.append(s, "done", s.toJson());
    LOG.info("scan {} {}{} — {} files scanned, {} failed, {} findings, {} requests", s.id, status,
        error == null ? "" : " (" + error.getString("code") + ")", s.filesScanned, s.filesFailed, s.findings.size(), s.requests);
    if (s.sharded) {
      LOG.info("scan {}: {} file parts reviewed by peers {}", s.id, s.filesByPeer, s.workers.subList(1, s.workers.size()));
    }
    if (wasRunning) {
      running--;
    }
    cleanup(s);
    startNext();
  }

  private void cleanup(ScanState s) {
    Path workspace = s.workspace;
    String upload = s.uploadFile;
    s.tasks = null;
    blocking.executeBlocking(() -> {
      if (workspace != null) Workspaces.deleteTree(workspace);
      if (upload != null) Files.deleteIfExists(Path.of(upload));
      return null;
    }, false).onFailure(err -> LOG.warn("scan {}: could not delete its workspace", s.id));
  }

  private void setStatus(ScanState s, String status) {
    s.status = status;
    LOG.info("scan {} {}", s.id, status);
    log.save(s);
    log.append(s, "status", s.toJson());
  }

  // ---- progress ----

  void progressChanged(ScanState s) {
    s.progressDirty = true;
    flushProgress(s, System.currentTimeMillis());
  }

  void flushProgress(ScanState s, long now) {
    if (s.progressDirty && now - s.lastProgressAt >= 1000) {
      s.progressDirty = false;
      s.lastProgressAt = now;
      log.save(s);
      log.append(s, "progress", s.progressJson());
    }
  }

  /** Periodic: flush progress, reclaim lapsed leases, remind dispatchers of waiting work. */
  void tick(java.util.Set<String> goneHolders) {
    long now = System.currentTimeMillis();
    for (ScanState s : scans.values()) {
      if (!s.status.equals("scanning") || s.tasks == null) continue;
      flushProgress(s, now);
      int reclaimed = s.tasks.reclaim(now, goneHolders);
      if (reclaimed > 0) LOG.info("scan {}: {} lapsed or orphaned lease(s) back in the queue", s.id, reclaimed);
      if (reclaimed > 0 || (s.tasks.hasPending() && now - s.lastLeaseAt > 1000)) {
        notifier.workAvailable(s);
      }
    }
  }

  /** Finished scans past retention leave memory and the store. */
  void expire(ScanStore store) {
    Instant cutoff = Instant.now().minus(config.scan().retention());
    scans.values().removeIf(s -> {
      if (s.finished() && s.finishedAt.isBefore(cutoff)) {
        log.settle(s.id).compose(v -> store.remove(s.id, s.seq));
        return true;
      }
      return false;
    });
    // Scans this worker took over from a lost coordinator live only in the store.
    store.allScans().onSuccess(all -> all.stream()
        .filter(r -> nodeId.equals(r.getString("coordinatorNode")) && !scans.containsKey(r.getString("id")))
        .filter(r -> r.getString("finishedAt") != null && Instant.parse(r.getString("finishedAt")).isBefore(cutoff))
        .forEach(r -> store.remove(r.getString("id"), r.getLong("lastSeq", 0L))));
  }
}
