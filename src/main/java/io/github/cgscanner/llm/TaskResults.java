package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.protocol.TaskResult.Outcome;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** Maps the outcome of a model call for a task to its {@link TaskResult}, checking the answer when there is one. */
final class TaskResults {
  private TaskResults() {}

  static TaskResult of(ReviewTask task, String alias, ChatOutcome o) {
    return switch (o.kind()) {
      case OK -> answered(task, alias, o);
      case RATE_LIMITED -> result(task, alias, o, Outcome.RETRY, TaskResult.RATE_LIMITED);
      case QUOTA, UNAUTHORIZED -> result(task, alias, o, Outcome.RETRY, TaskResult.KEY_DISABLED);
      // The key disables itself; the task goes to keys that may still work, or the scan fails fast.
      case MODEL_UNAVAILABLE -> result(task, alias, o, Outcome.RETRY, KeyState.MODEL_UNAVAILABLE);
      case SERVER_ERROR -> result(task, alias, o, Outcome.RETRY, "server_error");
      case TIMEOUT -> result(task, alias, o, Outcome.RETRY, "timeout");
      case CONNECTION -> result(task, alias, o, Outcome.RETRY, "connection_error");
      case BAD_REQUEST -> result(task, alias, o, Outcome.FAILED, "bad_request");
    };
  }

  private static TaskResult answered(ReviewTask task, String alias, ChatOutcome o) {
    if (o.refusal() != null || "content_filter".equals(o.finishReason())) {
      // A refusal is usually about the content, but one more attempt (maybe another key) is cheap.
      return result(task, alias, o, task.attempt() < 1 ? Outcome.RETRY : Outcome.FAILED, "refusal");
    }
    if ("length".equals(o.finishReason())) {
      return result(task, alias, o, task.splittable() ? Outcome.SPLIT : Outcome.FAILED, "truncated");
    }
    if (task.isVerification()) {
      VerdictValidator.Result v = VerdictValidator.validate(task, o.content());
      if (v.malformed()) return result(task, alias, o, Outcome.RETRY, "malformed");
      return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, Outcome.OK, null, 0, new JsonArray(),
          v.dropped(), usage(o), new JsonArray(List.copyOf(v.verdicts())));
    }
    ResponseValidator.Result v = ResponseValidator.validate(task, o.content());
    if (v.malformed()) return result(task, alias, o, Outcome.RETRY, "malformed");
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, Outcome.OK, null, 0,
        new JsonArray(List.copyOf(v.findings())), v.dropped(), usage(o));
  }

  private static TaskResult result(ReviewTask task, String alias, ChatOutcome o, Outcome outcome, String reason) {
    long retryAfter = o.limits().retryAfterMs() == null ? 0 : o.limits().retryAfterMs();
    return new TaskResult(task.scanId(), task.taskId(), task.leaseId(), alias, outcome, reason, retryAfter, new JsonArray(), 0,
        usage(o));
  }

  private static TaskResult.Usage usage(ChatOutcome o) {
    return new TaskResult.Usage(1, o.promptTokens(), o.completionTokens(), o.cachedTokens());
  }
}
