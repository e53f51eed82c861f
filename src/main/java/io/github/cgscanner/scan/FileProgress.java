package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scan's file counters. A selected file counts once, when the last of its open tasks is resolved:
 * scanned, or failed with the first reason one of its tasks gave, so that at the end
 * {@code scanned + failed = total}.
 */
final class FileProgress {
  int total;
  int scanned;
  int failed;
  int skippedTotal;
  /** Files not selected for review whose text was checked for secrets all the same. */
  int secretsChecked;
  private final Map<String, Integer> skipped = new TreeMap<>();
  private final Map<String, String> failedFiles = new TreeMap<>();
  private final Map<String, Integer> openTasks = new HashMap<>();

  void selected(int reviewFiles, Map<String, Integer> skippedByReason) {
    total = reviewFiles;
    skippedByReason.forEach((reason, n) -> skipped.merge(reason, n, Integer::sum));
    skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** A file that needed no model work (empty after masking). */
  void scannedWithoutModel() {
    scanned++;
  }

  void failedBeforeReview(String path, String reason) {
    failedFiles.put(path, reason);
    failed++;
  }

  void taskOpened(ReviewTask task) {
    for (ReviewTask.Part p : task.parts()) openTasks.merge(p.path(), 1, Integer::sum);
  }

  /** A task is answered ({@code failure} null) or given up ({@code failure} = the reason): its files move on. */
  void resolve(ReviewTask task, String failure) {
    for (ReviewTask.Part p : task.parts()) {
      if (failure != null) failedFiles.putIfAbsent(p.path(), failure);
      taskResolved(p.path());
    }
  }

  /** The halves of a split replace the task: its files' counts move to them. */
  void replaced(ReviewTask task, ReviewTask first, ReviewTask second) {
    taskOpened(first);
    taskOpened(second);
    for (ReviewTask.Part p : task.parts()) taskResolved(p.path());
  }

  /** The scan ended early: files never reached count as failed. */
  void failUnresolved() {
    int unresolved = total - scanned - failed;
    if (unresolved > 0) failed += unresolved;
    openTasks.clear();
  }

  boolean anyFailed() {
    return !failedFiles.isEmpty();
  }

  private void taskResolved(String path) {
    Integer left = openTasks.merge(path, -1, Integer::sum);
    if (left != null && left <= 0) {
      openTasks.remove(path);
      if (failedFiles.containsKey(path)) failed++;
      else scanned++;
    }
  }

  JsonObject progressJson() {
    return new JsonObject().put("filesTotal", total).put("filesScanned", scanned).put("filesFailed", failed)
        .put("filesSkipped", skippedTotal).put("filesSecretsChecked", secretsChecked);
  }

  JsonObject skippedJson() {
    JsonObject out = new JsonObject();
    skipped.forEach(out::put);
    return out;
  }

  JsonArray failedJson() {
    JsonArray out = new JsonArray();
    failedFiles.forEach((p, r) -> out.add(new JsonObject().put("path", p).put("reason", r)));
    return out;
  }
}
