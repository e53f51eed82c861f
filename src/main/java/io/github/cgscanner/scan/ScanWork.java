package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the work protocol for the scans this worker coordinates: hands out tasks
 * under leases to any worker's dispatcher, and takes results back: findings, retries, splits, budgets.
 * A result for a lease that is no longer current (re-queued, answered already) is ignored, so nothing
 * counts twice. Confined to the coordinator verticle's event loop, like {@link ScanLifecycle}, whose
 * scans it works on and through which every scan ends.
 */
final class ScanWork {
  private static final Logger LOG = LoggerFactory.getLogger(ScanWork.class);
  /** A 429 says nothing about the chunk, only about the provider's budget: it may be retried far more often. */
  private static final int RATE_LIMIT_ALLOWANCE = 10;

  private final Vertx vertx;
  private final ScannerConfig config;
  private final String nodeId;
  private final EventLog log;
  private final KeyStates keys;
  private final WorkNotifier notifier;
  private final ScanLifecycle lifecycle;
  /** A lease covers one request, bounded by the request timeout: one this old belongs to a holder that is gone. */
  private final long leaseTtlMs;

  ScanWork(Vertx vertx, ScannerConfig config, String nodeId, EventLog log, KeyStates keys, WorkNotifier notifier,
      ScanLifecycle lifecycle) {
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.log = log;
    this.keys = keys;
    this.notifier = notifier;
    this.lifecycle = lifecycle;
    this.leaseTtlMs = 2 * config.model().requestTimeout().toMillis() + 30_000;
  }

  JsonObject lease(JsonObject request) {
    ScanState s = lifecycle.scans.get(request.getString("scanId"));
    if (s == null || s.tasks == null || !s.status.equals("scanning")) {
      return new JsonObject().put("tasks", new JsonArray()).put("more", false);
    }
    s.lastLeaseAt = System.currentTimeMillis();
    String holder = request.getString("holder", nodeId);
    List<JsonObject> tasks = s.tasks.lease(request.getInteger("max", 1), holder, s.lastLeaseAt, leaseTtlMs);
    if (!tasks.isEmpty() && !holder.equals(nodeId) && s.helpersStarted.add(holder)) {
      LOG.info("scan {}: peer {} recruited in {} ms (its first lease)", s.id, holder, s.lastLeaseAt - s.scanningAt);
    }
    return new JsonObject().put("tasks", new JsonArray(List.copyOf(tasks))).put("more", s.tasks.hasPending())
        .put("pending", s.tasks.pendingCount());
  }

  void onResult(JsonObject r) {
    ScanState s = lifecycle.scans.get(r.getString("scanId"));
    if (s == null || s.tasks == null || !s.status.equals("scanning")) return;
    TaskBoard.Lease lease = s.tasks.release(r.getString("taskId"), r.getString("leaseId"));
    if (lease == null) return;
    TaskAccounting.addUsage(s, r.getJsonObject("usage"), config.model());
    JsonObject task = lease.task();
    String outcome = r.getString("outcome", "failed");
    if (!lease.holder().equals(nodeId) && outcome.equals("ok")) s.filesByPeer += task.getJsonArray("parts").size();
    String reason = r.getString("reason");
    switch (outcome) {
      case "ok" -> {
        for (Object o : r.getJsonArray("findings", new JsonArray())) addModelFinding(s, (JsonObject) o);
        TaskAccounting.resolve(s, task, null);
      }
      case "retry" -> retry(s, task, reason == null ? "retry" : reason, r.getLong("retryAfterMs", 0L));
      case "split" -> split(s, task);
      default -> TaskAccounting.resolve(s, task, reason == null ? "model_error" : reason);
    }
    if (s.status.equals("scanning")) {
      checkBudget(s);
    }
    if (s.status.equals("scanning")) {
      lifecycle.progressChanged(s);
      if (s.tasks.idle() && s.pendingRetries == 0) lifecycle.finish(s, "completed", null);
    }
  }

  private void addModelFinding(ScanState s, JsonObject raw) {
    Severity severity = Severity.parse(raw.getString("severity"));
    if (severity == null || !severity.atLeast(s.options.minSeverity())) return;
    Finding f = s.findings.addModelFinding(raw);
    if (f != null) {
      s.countFinding(f);
      log.append(s, "finding", f.toJson());
    }
  }

  private void retry(ScanState s, JsonObject task, String reason, long retryAfterMs) {
    if (reason.equals("handed_back")) {
      s.tasks.requeue(task);
      notifier.workAvailable(s);
      return;
    }
    if (reason.equals("key_disabled")) {
      if (!keys.anyUsable()) {
        lifecycle.fail(s, "no_usable_key", "every API key of this worker was refused by the provider");
        return;
      }
      s.tasks.requeue(task);
      notifier.workAvailable(s);
      return;
    }
    boolean rateLimited = reason.equals("rate_limited");
    int attempts = s.tasks.incrementAttempts(task.getString("taskId") + (rateLimited ? "#rate_limited" : ""));
    if (attempts >= config.scan().maxAttempts() * (rateLimited ? RATE_LIMIT_ALLOWANCE : 1)) {
      TaskAccounting.resolve(s, task, reason);
      return;
    }
    long backoff = reason.equals("rate_limited") ? retryAfterMs : Math.min(30_000, 250L << Math.min(attempts, 7));
    if (backoff <= 0) {
      s.tasks.requeue(task);
      notifier.workAvailable(s);
    } else {
      s.pendingRetries++;
      vertx.setTimer(backoff, t -> {
        s.pendingRetries--;
        if (!s.status.equals("scanning")) return;
        s.tasks.requeue(task);
        notifier.workAvailable(s);
      });
    }
  }

  /** An answer cut short: both halves go back to the queue, or the file fails when it cannot be cut. */
  private void split(ScanState s, JsonObject task) {
    if (TaskAccounting.split(s, task)) {
      notifier.workAvailable(s);
    } else {
      TaskAccounting.resolve(s, task, "truncated");
    }
  }

  private void checkBudget(ScanState s) {
    if (s.promptTokens + s.completionTokens > config.scan().maxTokens()) {
      lifecycle.fail(s, "budget_exceeded", "the scan used more than " + config.scan().maxTokens() + " model tokens");
    } else if (s.options.maxCostUsd() != null && s.costUsd > s.options.maxCostUsd()) {
      lifecycle.fail(s, "budget_exceeded", String.format("the scan cost passed options.maxCostUsd ($%.4f)", s.options.maxCostUsd()));
    }
  }
}
