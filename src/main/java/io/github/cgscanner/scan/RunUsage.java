package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.json.JsonObject;

/**
 * What a scan was estimated to cost and what it has spent: in all, and the verification pass's share
 * of it (the estimate covers the review only, as no one knows before it what the review will find).
 */
final class RunUsage {
  long estimateTokens;
  double estimateCostUsd;
  long requests;
  long promptTokens;
  long completionTokens;
  long cachedTokens;
  double costUsd;
  /** Chunks whose review is done: answered and validated, or found in the review cache. */
  long reviewedChunks;
  /** Chunks whose review came from the review cache, at no model call. */
  long cachedReviews;
  /** What the cached reviews cost when they were made: what this scan did not spend. */
  double savedCostUsd;
  private final Share verification = new Share();

  /** Spent by the verification pass. */
  private static final class Share {
    long requests;
    long promptTokens;
    long completionTokens;
    long cachedTokens;
    double costUsd;

    JsonObject toJson() {
      return new JsonObject().put("requests", requests).put("promptTokens", promptTokens).put("completionTokens", completionTokens)
          .put("cachedTokens", cachedTokens).put("estimatedCostUsd", round(costUsd));
    }
  }

  /** The cost comes priced by the key that spent it: the keys of one pool may cost differently. */
  void add(TaskResult.Usage u, boolean byVerification) {
    double cost = u.costUsd();
    requests += u.requests();
    promptTokens += u.promptTokens();
    completionTokens += u.completionTokens();
    cachedTokens += u.cachedTokens();
    costUsd += cost;
    if (byVerification) {
      verification.requests += u.requests();
      verification.promptTokens += u.promptTokens();
      verification.completionTokens += u.completionTokens();
      verification.cachedTokens += u.cachedTokens();
      verification.costUsd += cost;
    }
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
        .put("estimatedCostUsd", round(costUsd))
        .put("reviewedChunks", reviewedChunks)
        .put("cachedReviews", cachedReviews)
        .put("savedCostUsd", round(savedCostUsd))
        .put("verification", verification.toJson());
  }

  static double round(double usd) {
    return Math.round(usd * 1_000_000.0) / 1_000_000.0;
  }
}
