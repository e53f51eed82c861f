package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * A task is done with, answered by the model, found in the review cache, or given up: the one place a
 * task's outcome moves its scan on. A review's validated findings go to the {@link Verifier} (reported at
 * once, or held for verification), its files move on, and a file whose every task is resolved goes to
 * verification; a verification's verdicts are applied, or its findings reported unverified when it is
 * given up. {@code settle} then lets the scan end when nothing is left.
 */
final class Answers {
  private final Verifier verifier;
  private final Consumer<ScanRun> settle;
  private final TaskJournal journal;

  Answers(Verifier verifier, Consumer<ScanRun> settle, TaskJournal journal) {
    this.verifier = verifier;
    this.settle = settle;
    this.journal = journal;
  }

  /** A model answer, validated. */
  void accept(ScanRun run, ReviewTask task, TaskResult answer) {
    if (task.isVerification()) {
      verifier.answered(run, task, answer);
    } else {
      accept(run, task, answer.findings());
    }
  }

  /** A review's validated findings, from the model or from the cache. */
  void accept(ScanRun run, ReviewTask task, Iterable<?> validated) {
    run.usage.reviewedChunks++;
    journal.done(run, task, validated);
    for (Object o : validated) {
      JsonObject raw = (JsonObject) o;
      verifier.reviewed(run, raw, task.part(raw.getString("path")));
    }
    resolve(run, task, null);
  }

  /** {@code failure} null: answered; else the task is given up with that reason. */
  void resolve(ScanRun run, ReviewTask task, String failure) {
    if (task.isVerification()) {
      verifier.failed(run, task, failure == null ? "model_error" : failure);
      return;
    }
    if (failure != null) journal.failed(run, task, failure);
    for (String path : run.files.resolve(task, failure)) verifier.fileReviewed(run, path, () -> settle.accept(run));
  }
}
