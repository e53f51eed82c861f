package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A key's answer to a leased task. {@code findings} are validated model findings of a review (raw
 * JSON, before ids are given), {@code verdicts} the validated verdicts of a verification (only for
 * ids it asked about); {@code reason} says why a task is retried, split or failed. {@code model} and
 * {@code endpoint} (the key's base URL) say who answered; null for a task given back unsent.
 */
public record TaskResult(
    String scanId,
    String taskId,
    String leaseId,
    String key,
    Outcome outcome,
    String reason,
    long retryAfterMs,
    JsonArray findings,
    int dropped,
    Usage usage,
    JsonArray verdicts,
    String model,
    String endpoint) {

  public TaskResult {
    if (verdicts == null) verdicts = new JsonArray();
  }

  public enum Outcome {
    /** Answered and validated: the findings are the task's. */
    OK,
    /** Not answered: ask again (maybe another key). */
    RETRY,
    /** The answer was cut short: halve the task. */
    SPLIT,
    /** Cannot be answered: its files fail with {@code reason}. */
    FAILED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Reasons with a meaning of their own for the coordinator. */
  public static final String RATE_LIMITED = "rate_limited";
  public static final String KEY_DISABLED = "key_disabled";
  /** Given back unsent: the worker is leaving, or the lease's hold time passed. Not an attempt. */
  public static final String HANDED_BACK = "handed_back";

  /** {@code costUsd} at the prices of the key that spent it: keys of one pool may cost differently. */
  public record Usage(long requests, long promptTokens, long completionTokens, long cachedTokens, double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    JsonObject toJson() {
      return new JsonObject().put("requests", requests).put("promptTokens", promptTokens)
          .put("completionTokens", completionTokens).put("cachedTokens", cachedTokens).put("costUsd", costUsd);
    }

    static Usage fromJson(JsonObject j) {
      if (j == null) return NONE;
      return new Usage(j.getLong("requests", 0L), j.getLong("promptTokens", 0L), j.getLong("completionTokens", 0L),
          j.getLong("cachedTokens", 0L), j.getDouble("costUsd", 0.0));
    }
  }

  /** A task this key pulled but never sent. */
  public static TaskResult unsent(ReviewTask task, String key, String reason) {
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), key, Outcome.RETRY, reason, 0, new JsonArray(), 0,
        Usage.NONE, new JsonArray(), null, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("scanId", scanId)
        .put("taskId", taskId)
        .put("leaseId", leaseId)
        .put("key", key)
        .put("outcome", outcome.wire())
        .put("reason", reason)
        .put("retryAfterMs", retryAfterMs)
        .put("findings", findings)
        .put("dropped", dropped)
        .put("usage", usage.toJson())
        .put("verdicts", verdicts)
        .put("model", model)
        .put("endpoint", endpoint);
  }

  public static TaskResult fromJson(JsonObject j) {
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(j.getString("outcome", "failed").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      outcome = Outcome.FAILED;
    }
    return new TaskResult(j.getString("scanId"), j.getString("taskId"), j.getString("leaseId"), j.getString("key"), outcome,
        j.getString("reason"), j.getLong("retryAfterMs", 0L), j.getJsonArray("findings", new JsonArray()),
        j.getInteger("dropped", 0), Usage.fromJson(j.getJsonObject("usage")), j.getJsonArray("verdicts", new JsonArray()),
        j.getString("model"), j.getString("endpoint"));
  }
}
