package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.json.JsonObject;

/** What a scan was estimated to cost and what it has spent. */
final class RunUsage {
  long estimateTokens;
  double estimateCostUsd;
  long requests;
  long promptTokens;
  long completionTokens;
  long cachedTokens;
  double costUsd;
  /** Tasks answered and validated. */
  long reviewedChunks;

  /** The cost comes priced by the key that spent it: the keys of one pool may cost differently. */
  void add(TaskResult.Usage u) {
    requests += u.requests();
    promptTokens += u.promptTokens();
    completionTokens += u.completionTokens();
    cachedTokens += u.cachedTokens();
    costUsd += u.costUsd();
  }

  long tokens() {
    return promptTokens + completionTokens;
  }

  JsonObject estimateJson() {
    return new JsonObject().put("tokens", estimateTokens).put("costUsd", round(estimateCostUsd));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("promptTokens", promptTokens)
        .put("completionTokens", completionTokens)
        .put("cachedTokens", cachedTokens)
        .put("estimatedCostUsd", round(costUsd));
  }

  static double round(double usd) {
    return Math.round(usd * 1_000_000.0) / 1_000_000.0;
  }
}
