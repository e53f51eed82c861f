package io.github.cgscanner.scan;

import io.github.cgscanner.domain.LineOrdinals;
import io.github.cgscanner.protocol.ReviewTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Halves a task whose answer was cut short: a review by parts, or a single part by lines; a
 * verification by its findings, each half with the same code.
 */
final class TaskSplitter {
  private TaskSplitter() {}

  /** @return the two halves, or null when the task is one line (or one finding) and cannot be cut */
  static List<ReviewTask> halves(ReviewTask task, TaskBoard board) {
    if (task.isVerification()) {
      List<ReviewTask.VerifyItem> items = task.verify();
      if (items.size() < 2) return null;
      long tokens = task.estimatedTokens();
      return List.of(board.newVerification(task.parts(), items.subList(0, items.size() / 2), tokens),
          board.newVerification(task.parts(), items.subList(items.size() / 2, items.size()), tokens));
    }
    List<ReviewTask.Part> parts = task.parts();
    List<ReviewTask.Part> first = new ArrayList<>();
    List<ReviewTask.Part> second = new ArrayList<>();
    if (parts.size() > 1) {
      for (int i = 0; i < parts.size(); i++) (i < parts.size() / 2 ? first : second).add(parts.get(i));
    } else {
      ReviewTask.Part part = parts.get(0);
      String[] lines = part.text().split("\n", -1);
      if (lines.length < 2) return null;
      int half = lines.length / 2;
      first.add(subPart(part, lines, 0, half));
      second.add(subPart(part, lines, half, lines.length));
    }
    long tokens = task.estimatedTokens() / 2;
    return List.of(board.newTask(first, tokens), board.newTask(second, tokens));
  }

  private static ReviewTask.Part subPart(ReviewTask.Part part, String[] lines, int from, int to) {
    int start = part.startLine();
    List<ReviewTask.Hint> hints = part.hints().stream()
        .filter(h -> h.line() >= start + from && h.line() < start + to).toList();
    // The second half's repeated lines occur in the first half too: their ordinals travel with it.
    List<Integer> seenBefore = LineOrdinals.slice(Arrays.asList(lines), start, part.seenBefore(), from, to);
    return new ReviewTask.Part(part.path(), start + from, start + to - 1, String.join("\n", Arrays.copyOfRange(lines, from, to)), hints,
        seenBefore);
  }
}
