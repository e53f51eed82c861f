package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which of this worker's scans may run: at most {@code scan.maxRunning} at once (preparing or
 * reviewing), at most {@code scan.maxQueued} waiting, and at most {@code scan.maxPreparingPerToken}
 * preparations of one API token at once, so a submit loop by one token cannot take every worker thread.
 * Scans submitted without authentication share the worker's limits only.
 */
final class Admission {
  private final ScannerConfig.Scan limits;
  private final Deque<ScanRun> queue = new ArrayDeque<>();
  private final Map<String, Integer> preparingByOwner = new HashMap<>();
  private int running;

  Admission(ScannerConfig.Scan limits) {
    this.limits = limits;
  }

  boolean hasRoom() {
    return running < limits.maxRunning() || queue.size() < limits.maxQueued();
  }

  void enqueue(ScanRun run) {
    queue.addLast(run);
  }

  /** The queued scans that may start now, in submission order; each counts as running from here. */
  List<ScanRun> startable() {
    List<ScanRun> out = new ArrayList<>();
    for (Iterator<ScanRun> it = queue.iterator(); it.hasNext() && running < limits.maxRunning(); ) {
      ScanRun run = it.next();
      if (run.owner != null && preparingByOwner.getOrDefault(run.owner, 0) >= limits.maxPreparingPerToken()) continue;
      it.remove();
      running++;
      if (run.owner != null) preparingByOwner.merge(run.owner, 1, Integer::sum);
      out.add(run);
    }
    return out;
  }

  /** A scan taken over from a stopped worker, past its preparation: it runs at once (it was running already). */
  void resumed() {
    running++;
  }

  /** The scan's preparation ended (it is reviewing now, or it ended). */
  void prepared(ScanRun run) {
    if (run.owner != null) preparingByOwner.computeIfPresent(run.owner, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** The scan ended: its place is free. {@code wasRunning} is whether it had left the queue. */
  void ended(ScanRun run, boolean wasRunning) {
    if (!queue.remove(run) && wasRunning) running--;
  }

  int running() {
    return running;
  }

  int queued() {
    return queue.size();
  }
}
