package io.github.cgscanner.llm;

import io.vertx.core.json.JsonObject;

/**
 * Counters of one key, published as its state message. Only the alias ever appears here. In a cluster
 * it also shows this worker's share of the key's budget and how often the key waited for one.
 */
final class KeyStats {
  long requests;
  long ok;
  long rateLimited;
  long serverErrors;
  long timeouts;
  long invalid;
  long promptTokens;
  long completionTokens;
  long cachedTokens;

  void count(ChatOutcome o) {
    requests++;
    promptTokens += o.promptTokens();
    completionTokens += o.completionTokens();
    cachedTokens += o.cachedTokens();
    switch (o.kind()) {
      case OK -> ok++;
      case RATE_LIMITED -> rateLimited++;
      case SERVER_ERROR, CONNECTION -> serverErrors++;
      case TIMEOUT -> timeouts++;
      default -> { }
    }
  }

  JsonObject toJson(String alias, String nodeId, KeyScheduler scheduler, long now) {
    JsonObject json = new JsonObject()
        .put("key", alias)
        .put("node", nodeId)
        .put("state", scheduler.state(now))
        .put("inFlight", scheduler.inFlight())
        .put("capacity", scheduler.capacity())
        .put("requests", requests)
        .put("ok", ok)
        .put("rateLimited", rateLimited)
        .put("serverErrors", serverErrors)
        .put("timeouts", timeouts)
        .put("invalid", invalid)
        .put("promptTokens", promptTokens)
        .put("completionTokens", completionTokens)
        .put("cachedTokens", cachedTokens)
        .put("disabledReason", scheduler.disabledReason());
    if (scheduler.budget() instanceof BudgetSlice slice) {
      json.put("budgetShare", slice.share()).put("sliceWaits", slice.sliceWaits()).put("sliceWaitMs", slice.sliceWaitMs());
    }
    return json;
  }
}
