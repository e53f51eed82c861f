package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * How a task's outcome moves a scan's counters: which files are done or failed, how a cut-short task
 * is halved, what the answers cost. Each file counts once, when its last open task is resolved, so at
 * the end {@code filesScanned + filesFailed = filesTotal}.
 */
final class TaskAccounting {
  private TaskAccounting() {}

  /** A task is answered (failure null) or given up (failure = reason): its files move on. */
  static void resolve(ScanState s, JsonObject task, String failure) {
    for (Object o : task.getJsonArray("parts")) {
      String path = ((JsonObject) o).getString("path");
      if (failure != null) s.failedFiles.putIfAbsent(path, failure);
      fileTaskResolved(s, path);
    }
  }

  /**
   * Halves a task whose answer was cut short — by parts, or a single part by lines — and queues both
   * halves in its place.
   *
   * @return false when the task is one line and cannot be cut (it is left for the caller to resolve)
   */
  static boolean split(ScanState s, JsonObject task) {
    JsonArray parts = task.getJsonArray("parts");
    JsonArray first = new JsonArray();
    JsonArray second = new JsonArray();
    if (parts.size() > 1) {
      for (int i = 0; i < parts.size(); i++) (i < parts.size() / 2 ? first : second).add(parts.getJsonObject(i));
    } else {
      JsonObject part = parts.getJsonObject(0);
      String[] lines = part.getString("text").split("\n", -1);
      if (lines.length < 2) return false;
      int half = lines.length / 2;
      int start = part.getInteger("startLine");
      first.add(subPart(part, lines, 0, half, start));
      second.add(subPart(part, lines, half, lines.length, start));
    }
    long tokens = task.getLong("estimatedTokens", 0L) / 2;
    // Requeued at the front in reverse, so the first half is served first.
    for (JsonArray half : List.of(second, first)) {
      s.tasks.requeue(task.copy().put("taskId", s.tasks.newTask(half, tokens).getString("taskId")).put("parts", half)
          .put("estimatedTokens", tokens));
      for (Object o : half) s.openTasksByFile.merge(((JsonObject) o).getString("path"), 1, Integer::sum);
    }
    for (Object o : parts) fileTaskResolved(s, ((JsonObject) o).getString("path"));
    return true;
  }

  static void addUsage(ScanState s, JsonObject usage, ScannerConfig.Model model) {
    if (usage == null) return;
    long prompt = usage.getLong("promptTokens", 0L);
    long completion = usage.getLong("completionTokens", 0L);
    long cached = usage.getLong("cachedTokens", 0L);
    s.requests += usage.getLong("requests", 0L);
    s.promptTokens += prompt;
    s.completionTokens += completion;
    s.cachedTokens += cached;
    s.costUsd += model.costUsd(prompt, cached, completion);
  }

  private static JsonObject subPart(JsonObject part, String[] lines, int from, int to, int startLine) {
    JsonArray hints = new JsonArray();
    for (Object o : part.getJsonArray("hints", new JsonArray())) {
      int line = ((JsonObject) o).getInteger("line");
      if (line >= startLine + from && line < startLine + to) hints.add(o);
    }
    return new JsonObject()
        .put("path", part.getString("path"))
        .put("startLine", startLine + from)
        .put("endLine", startLine + to - 1)
        .put("text", String.join("\n", Arrays.copyOfRange(lines, from, to)))
        .put("hints", hints);
  }

  private static void fileTaskResolved(ScanState s, String path) {
    Integer left = s.openTasksByFile.merge(path, -1, Integer::sum);
    if (left != null && left <= 0) {
      s.openTasksByFile.remove(path);
      if (s.failedFiles.containsKey(path)) s.filesFailed++;
      else s.filesScanned++;
    }
  }
}
