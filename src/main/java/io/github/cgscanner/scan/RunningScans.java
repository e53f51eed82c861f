package io.github.cgscanner.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scans this worker coordinates that have not left memory: running ones, and finished ones until their log is written. */
final class RunningScans {
  private final Map<String, ScanRun> runs = new LinkedHashMap<>();

  void add(ScanRun run) {
    runs.put(run.id, run);
  }

  ScanRun get(String id) {
    return runs.get(id);
  }

  /** The run if it is reviewing: what leases and results may touch. */
  ScanRun scanning(String id) {
    ScanRun run = runs.get(id);
    return run != null && run.scanningNow() ? run : null;
  }

  void remove(ScanRun run) {
    runs.remove(run.id, run);
  }

  List<ScanRun> all() {
    return new ArrayList<>(runs.values());
  }

  int size() {
    return runs.size();
  }
}
