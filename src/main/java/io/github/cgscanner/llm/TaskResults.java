package io.github.cgscanner.llm;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.protocol.TaskResult.Outcome;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** Maps the outcome of a model call for a task to its {@link TaskResult}, which names the model that answered. */
final class TaskResults {
  private final String alias;
  private final ScannerConfig.Model model;

  TaskResults(String alias, ScannerConfig.Model model) {
    this.alias = alias;
    this.model = model;
  }

  /** @param validation the checked answer, or null when the call did not produce one */
  TaskResult of(ReviewTask task, ChatOutcome o, ResponseValidator.Result validation) {
    return switch (o.kind()) {
      case OK -> answered(task, o, validation);
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

  private TaskResult answered(ReviewTask task, ChatOutcome o, ResponseValidator.Result v) {
    if (o.refusal() != null || "content_filter".equals(o.finishReason())) {
      // A refusal is usually about the content, but one more attempt (maybe another key) is cheap.
      return result(task, o, task.attempt() < 1 ? Outcome.RETRY : Outcome.FAILED, "refusal");
    }
    if ("length".equals(o.finishReason())) {
      return result(task, o, task.splittable() ? Outcome.SPLIT : Outcome.FAILED, "truncated");
    }
    if (v == null || v.malformed()) {
      return result(task, o, Outcome.RETRY, "malformed");
    }
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, Outcome.OK, null, 0,
        new JsonArray(List.copyOf(v.findings())), v.dropped(), usage(o), model.name(), model.baseUrl());
  }

  private TaskResult result(ReviewTask task, ChatOutcome o, Outcome outcome, String reason) {
    long retryAfter = o.limits().retryAfterMs() == null ? 0 : o.limits().retryAfterMs();
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, outcome, reason, retryAfter, new JsonArray(), 0,
        usage(o), model.name(), model.baseUrl());
  }

  private TaskResult.Usage usage(ChatOutcome o) {
    return new TaskResult.Usage(1, o.promptTokens(), o.completionTokens(), o.cachedTokens(),
        model.costUsd(o.promptTokens(), o.cachedTokens(), o.completionTokens()));
  }
}
