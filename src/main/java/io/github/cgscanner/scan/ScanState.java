package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.domain.Finding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the coordinator knows about one scan. Owned by the coordinator verticle and touched only
 * on its event loop, so it needs no locking.
 */
final class ScanState {
  final String id;
  final String owner;
  final JsonObject sourceSpec;
  final ScanOptions options;
  final Instant createdAt = Instant.now();
  final String model;
  final String promptVersion;
  final String coordinatorNode;

  String status = "queued";
  Instant startedAt;
  Instant finishedAt;
  String sourceKind;
  String sourceName;
  String commit;
  final List<String> workers = new ArrayList<>();
  boolean sharded;
  String modelReview;
  int filesTotal;
  int filesScanned;
  int filesFailed;
  int filesSkipped;
  int filesSecretsChecked;
  final Map<String, Integer> skipped = new TreeMap<>();
  final Map<String, String> failedFiles = new TreeMap<>();
  long estimateTokens;
  double estimateCostUsd;
  long requests;
  long promptTokens;
  long completionTokens;
  long cachedTokens;
  double costUsd;
  final Map<Severity, Integer> bySeverity = new LinkedHashMap<>();
  JsonObject error;

  long seq;
  long lastProgressAt;
  boolean progressDirty;
  Path workspace;
  /** An uploaded archive owned by the scan: deleted with the workspace. */
  String uploadFile;
  long lastLeaseAt;
  /** When the scan started scanning: recruitment latency is measured from here. */
  long scanningAt;
  /** Peers that have leased tasks of this scan at least once. */
  final Set<String> helpersStarted = new HashSet<>();
  /** File parts answered under leases held by peers (a sharded scan's share of work done elsewhere). */
  int filesByPeer;
  int pendingRetries;
  TaskBoard tasks;
  final FindingBook findings = new FindingBook();
  /** Files still waiting for the model, with how many of their tasks are unresolved. */
  final Map<String, Integer> openTasksByFile = new HashMap<>();

  ScanState(String id, String owner, JsonObject sourceSpec, ScanOptions options, String model,
      String promptVersion, String coordinatorNode, String sourceKind, String sourceName) {
    this.id = id;
    this.owner = owner;
    this.sourceSpec = sourceSpec;
    this.options = options;
    this.model = model;
    this.promptVersion = promptVersion;
    this.coordinatorNode = coordinatorNode;
    this.sourceKind = sourceKind;
    this.sourceName = sourceName;
    workers.add(coordinatorNode);
    for (Severity s : Severity.values()) bySeverity.put(s, 0);
  }

  boolean finished() {
    return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
  }

  boolean active() {
    return status.equals("fetching") || status.equals("scanning");
  }

  void countFinding(Finding f) {
    bySeverity.merge(f.severity(), 1, Integer::sum);
  }

  JsonObject progressJson() {
    return new JsonObject()
        .put("filesTotal", filesTotal)
        .put("filesScanned", filesScanned)
        .put("filesFailed", filesFailed)
        .put("filesSkipped", filesSkipped)
        .put("filesSecretsChecked", filesSecretsChecked);
  }

  JsonObject toJson() {
    JsonObject sev = new JsonObject();
    bySeverity.forEach((s, n) -> sev.put(s.wire(), n));
    JsonArray failed = new JsonArray();
    failedFiles.forEach((p, r) -> failed.add(new JsonObject().put("path", p).put("reason", r)));
    JsonObject skippedJson = new JsonObject();
    skipped.forEach(skippedJson::put);
    return new JsonObject()
        .put("id", id)
        .put("status", status)
        .put("createdAt", createdAt.toString())
        .put("startedAt", startedAt == null ? null : startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("source", new JsonObject().put("kind", sourceKind).put("name", sourceName).put("commit", commit))
        .put("model", model)
        .put("promptVersion", promptVersion)
        .put("coordinator", coordinatorNode)
        .put("workers", new JsonArray(new ArrayList<>(workers)))
        .put("sharded", sharded)
        .put("modelReview", modelReview)
        .put("progress", progressJson())
        .put("skipped", skippedJson)
        .put("failedFiles", failed)
        .put("estimate", new JsonObject().put("tokens", estimateTokens).put("costUsd", round(estimateCostUsd)))
        .put("usage", new JsonObject()
            .put("requests", requests)
            .put("promptTokens", promptTokens)
            .put("completionTokens", completionTokens)
            .put("cachedTokens", cachedTokens)
            .put("estimatedCostUsd", round(costUsd)))
        .put("findingsBySeverity", sev)
        .put("error", error);
  }

  /** The stored form: the API Scan plus what only the service needs. */
  JsonObject toInternalJson() {
    return toJson().put("owner", owner).put("coordinatorNode", coordinatorNode).put("lastSeq", seq);
  }

  static double round(double usd) {
    return Math.round(usd * 1_000_000.0) / 1_000_000.0;
  }
}
