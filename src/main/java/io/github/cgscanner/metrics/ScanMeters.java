package io.github.cgscanner.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scan series of the worker that coordinates the scans, fed by their events. File counters advance by
 * the difference between successive progress events, so they move during a scan rather than at its end;
 * the scan id is only a key of that bookkeeping, never a label.
 */
final class ScanMeters {
  private static final Duration[] SCAN_BUCKETS = seconds(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200);

  private final MeterRegistry registry;
  private final Tags worker;
  private final Set<Meter> meters = new LinkedHashSet<>();
  private final Map<String, JsonObject> lastProgress = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger waitingInCluster = new AtomicInteger();
  private final AtomicInteger backlogInCluster = new AtomicInteger();
  private final Counter scanned;
  private final Counter skipped;
  private final Counter failed;
  private final Counter sharded;

  ScanMeters(MeterRegistry registry, String nodeId) {
    this.registry = registry;
    this.worker = Tags.of("worker", nodeId);
    meters.add(Gauge.builder("scanner.scans.running", running, AtomicInteger::get)
        .description("Scans this worker coordinates that are fetching or scanning").tags(worker).register(registry));
    meters.add(Gauge.builder("scanner.scans.queued", queued, AtomicInteger::get)
        .description("Scans waiting for a slot on this worker").tags(worker).register(registry));
    // What an autoscaler scales on: the same cluster-wide figure on every worker (take the max, not the sum).
    meters.add(Gauge.builder("scanner.scans.waiting", waitingInCluster, AtomicInteger::get)
        .description("Scans queued cluster-wide, waiting for a worker slot").tags(worker).register(registry));
    meters.add(Gauge.builder("scanner.backlog.tasks", backlogInCluster, AtomicInteger::get)
        .description("Review tasks waiting for a key cluster-wide (bound by key limits: more replicas do not drain it)")
        .tags(worker).register(registry));
    scanned = counter("scanner.files.scanned", "Selected files fully reviewed");
    skipped = counter("scanner.files.skipped", "Files not selected for review (binary, vendored, too large, excluded…)");
    failed = counter("scanner.files.failed", "Selected files that could not be reviewed");
    sharded = counter("scanner.scans.sharded", "Finished scans that were shared with a peer worker");
  }

  Set<Meter> meters() {
    return meters;
  }

  void load(int runningScans, int queuedScans) {
    running.set(runningScans);
    queued.set(queuedScans);
  }

  /** The cluster's load entries, every worker's queued scans and waiting tasks. */
  void cluster(java.util.List<JsonObject> entries) {
    waitingInCluster.set(entries.stream().mapToInt(e -> e.getInteger("queued", 0)).sum());
    backlogInCluster.set(entries.stream().mapToInt(e -> e.getInteger("backlog", 0)).sum());
  }

  void onEvent(String scanId, String type, JsonObject data) {
    if (data == null) return;
    switch (type) {
      case "progress" -> advance(scanId, data);
      case "status" -> advance(scanId, data.getJsonObject("progress"));
      case "done" -> finish(scanId, data);
      default -> { }
    }
  }

  private void advance(String scanId, JsonObject progress) {
    if (progress == null) return;
    JsonObject before = lastProgress.put(scanId, progress.copy());
    scanned.increment(delta(before, progress, "filesScanned"));
    skipped.increment(delta(before, progress, "filesSkipped"));
    failed.increment(delta(before, progress, "filesFailed"));
  }

  private void finish(String scanId, JsonObject scan) {
    advance(scanId, scan.getJsonObject("progress"));
    lastProgress.remove(scanId);
    String status = scan.getString("status", "unknown");
    Instant end = instant(scan.getString("finishedAt"));
    Instant start = instant(scan.getString("startedAt"));
    if (start == null) start = instant(scan.getString("createdAt"));
    if (start != null && end != null && !end.isBefore(start)) {
      Timer timer = Timer.builder("scanner.scan.duration")
          .description("Wall time of finished scans from start (or submission, when never started) to the end, by final status")
          .serviceLevelObjectives(SCAN_BUCKETS)
          .tags(worker.and("status", status)).register(registry);
      meters.add(timer);
      timer.record(Duration.between(start, end));
    }
    if (scan.getBoolean("sharded", false)) sharded.increment();
  }

  private Counter counter(String name, String help) {
    Counter c = Counter.builder(name).description(help).tags(worker).register(registry);
    meters.add(c);
    return c;
  }

  private static double delta(JsonObject before, JsonObject now, String field) {
    long was = before == null ? 0 : before.getLong(field, 0L);
    return Math.max(0, now.getLong(field, 0L) - was);
  }

  private static Instant instant(String iso) {
    try {
      return iso == null ? null : Instant.parse(iso);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofMillis((long) (values[i] * 1000));
    return out;
  }
}
