package io.github.cgscanner.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Maps the outcome of a model call for a task to the result message of the work protocol. */
final class TaskResults {
  static final String OK = "ok";
  static final String RETRY = "retry";
  static final String SPLIT = "split";
  static final String FAILED = "failed";

  private TaskResults() {}

  /** @param validation the checked answer, or null when the call did not produce one */
  static JsonObject of(ReviewTask task, String alias, ChatOutcome o, ResponseValidator.Result validation) {
    return switch (o.kind()) {
      case OK -> answered(task, alias, o, validation);
      case RATE_LIMITED -> result(task, alias, o, RETRY, "rate_limited");
      case QUOTA, UNAUTHORIZED -> result(task, alias, o, RETRY, KEY_DISABLED);
      case SERVER_ERROR -> result(task, alias, o, RETRY, "server_error");
      case TIMEOUT -> result(task, alias, o, RETRY, "timeout");
      case CONNECTION -> result(task, alias, o, RETRY, "connection_error");
      case BAD_REQUEST -> result(task, alias, o, FAILED, "bad_request");
    };
  }

  static final String KEY_DISABLED = "key_disabled";
  static final String HANDED_BACK = "handed_back";

  /**
   * A task this key pulled but will never send: the key was disabled meanwhile ({@link #KEY_DISABLED}),
   * or its worker is shutting down ({@link #HANDED_BACK}).
   */
  static JsonObject unsent(ReviewTask task, String alias, String reason) {
    return base(task, alias, RETRY, reason, 0).put("usage", usage(0, 0, 0, 0));
  }

  private static JsonObject answered(ReviewTask task, String alias, ChatOutcome o, ResponseValidator.Result v) {
    if (o.refusal() != null || "content_filter".equals(o.finishReason())) {
      // A refusal is usually about the content, but one more attempt (maybe another key) is cheap.
      return result(task, alias, o, task.attempt() < 1 ? RETRY : FAILED, "refusal");
    }
    if ("length".equals(o.finishReason())) {
      return task.splittable() ? result(task, alias, o, SPLIT, "truncated") : result(task, alias, o, FAILED, "truncated");
    }
    if (v == null || v.malformed()) {
      return result(task, alias, o, RETRY, "malformed");
    }
    JsonObject r = result(task, alias, o, OK, null);
    r.put("findings", new JsonArray(List.copyOf(v.findings()))).put("dropped", v.dropped());
    return r;
  }

  private static JsonObject result(ReviewTask task, String alias, ChatOutcome o, String outcome, String reason) {
    long retryAfter = o.limits().retryAfterMs() == null ? 0 : o.limits().retryAfterMs();
    return base(task, alias, outcome, reason, retryAfter)
        .put("usage", usage(1, o.promptTokens(), o.completionTokens(), o.cachedTokens()));
  }

  private static JsonObject base(ReviewTask task, String alias, String outcome, String reason, long retryAfterMs) {
    return new JsonObject()
        .put("type", "result")
        .put("scanId", task.scanId())
        .put("taskId", task.taskId())
        .put("leaseId", task.leaseId())
        .put("key", alias)
        .put("outcome", outcome)
        .put("reason", reason)
        .put("retryAfterMs", retryAfterMs)
        .put("findings", new JsonArray())
        .put("dropped", 0);
  }

  private static JsonObject usage(long requests, long prompt, long completion, long cached) {
    return new JsonObject()
        .put("requests", requests)
        .put("promptTokens", prompt)
        .put("completionTokens", completion)
        .put("cachedTokens", cached);
  }
}
