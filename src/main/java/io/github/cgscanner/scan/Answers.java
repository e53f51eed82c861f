package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonObject;

/**
 * A task's review is in, from the model or from the review cache: its validated findings at or above
 * the scan's {@code minSeverity} are recorded and streamed, and its files move on.
 */
final class Answers {
  private final RunEvents events;

  Answers(RunEvents events) {
    this.events = events;
  }

  void accept(ScanRun run, ReviewTask task, Iterable<?> validated) {
    run.usage.reviewedChunks++;
    for (Object o : validated) {
      JsonObject raw = (JsonObject) o;
      Severity severity = Severity.parse(raw.getString("severity"));
      if (severity == null || !severity.atLeast(run.options.minSeverity())) continue;
      Finding f = run.findings.addModelFinding(raw, task.part(raw.getString("path")));
      if (f != null) {
        run.countFinding(f);
        events.finding(run, f);
      }
    }
    run.files.resolve(task, null);
  }
}
