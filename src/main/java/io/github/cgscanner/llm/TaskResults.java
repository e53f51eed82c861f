package io.github.cgscanner.llm;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.protocol.TaskResult.Outcome;
import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * Maps the outcome of a model call for a task to its {@link TaskResult}, checking the answer when there
 * is one; the result names the model that answered and is priced at this key's prices.
 */
final class TaskResults {
  private final String alias;
  private final ScannerConfig.Model model;

  TaskResults(String alias, ScannerConfig.Model model) {
    this.alias = alias;
    this.model = model;
  }

  /** @param schemaInPrompt the request carried its schema in the prompt: the answer's JSON may sit in other text */
  TaskResult of(ReviewTask task, ChatOutcome o, boolean schemaInPrompt) {
    return switch (o.kind()) {
      case OK -> answered(task, o, schemaInPrompt ? RequestShape.jsonOf(o.content()) : o.content());
      case RATE_LIMITED -> result(task, o, Outcome.RETRY, TaskResult.RATE_LIMITED);
      case QUOTA, UNAUTHORIZED -> result(task, o, Outcome.RETRY, TaskResult.KEY_DISABLED);
      // The key disables itself; the task goes to keys that may still work, or the scan fails fast.
      case MODEL_UNAVAILABLE, UNSUPPORTED_REQUEST -> result(task, o, Outcome.RETRY, KeyState.MODEL_UNAVAILABLE);
      case SERVER_ERROR -> result(task, o, Outcome.RETRY, "server_error");
      case TIMEOUT -> result(task, o, Outcome.RETRY, "timeout");
      case CONNECTION -> result(task, o, Outcome.RETRY, "connection_error");
      case BAD_REQUEST -> result(task, o, Outcome.FAILED, "bad_request");
    };
  }

  private TaskResult answered(ReviewTask task, ChatOutcome o, String content) {
    if (o.refusal() != null || "content_filter".equals(o.finishReason())) {
      // A refusal is usually about the content, but one more attempt (maybe another key) is cheap.
      return result(task, o, task.attempt() < 1 ? Outcome.RETRY : Outcome.FAILED, "refusal");
    }
    if ("length".equals(o.finishReason())) {
      return result(task, o, task.splittable() ? Outcome.SPLIT : Outcome.FAILED, "truncated");
    }
    if (task.isVerification()) {
      VerdictValidator.Result v = VerdictValidator.validate(task, content);
      if (v.malformed()) return result(task, o, Outcome.RETRY, "malformed");
      return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, Outcome.OK, null, 0, new JsonArray(),
          v.dropped(), usage(o), new JsonArray(List.copyOf(v.verdicts())), model.name(), model.baseUrl());
    }
    ResponseValidator.Result v = ResponseValidator.validate(task, content);
    if (v.malformed()) return result(task, o, Outcome.RETRY, "malformed");
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, Outcome.OK, null, 0,
        new JsonArray(List.copyOf(v.findings())), v.dropped(), usage(o), new JsonArray(), model.name(), model.baseUrl());
  }

  private TaskResult result(ReviewTask task, ChatOutcome o, Outcome outcome, String reason) {
    long retryAfter = o.limits().retryAfterMs() == null ? 0 : o.limits().retryAfterMs();
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, outcome, reason, retryAfter, new JsonArray(), 0,
        usage(o), new JsonArray(), model.name(), model.baseUrl());
  }

  private TaskResult.Usage usage(ChatOutcome o) {
    return new TaskResult.Usage(1, o.promptTokens(), o.completionTokens(), o.cachedTokens(),
        model.costUsd(o.promptTokens(), o.cachedTokens(), o.completionTokens()));
  }
}
