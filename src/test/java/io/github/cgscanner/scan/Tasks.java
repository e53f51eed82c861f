package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.ReviewTask;
import java.util.List;

/** Task boards and parts for the scan package's tests. */
final class Tasks {
  private Tasks() {}

  static TaskBoard board(String scanId) {
    return board(scanId, 6, 12);
  }

  static TaskBoard board(String scanId, int maxAttempts, int maxHandBacks) {
    return new TaskBoard(new ReviewTask(null, scanId, "reply", null, 0, 0, List.of(), "k", null, List.of(), 0), maxAttempts, maxHandBacks);
  }

  static ReviewTask.Part part(String path, int start, int end, String text) {
    return new ReviewTask.Part(path, start, end, text, List.of(new ReviewTask.Hint(end, "r", "t")));
  }

  static ReviewTask.Part part(String path) {
    return new ReviewTask.Part(path, 1, 1, "x", List.of());
  }
}
