package io.github.cgscanner.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Locale;

/**
 * Model calls as the key verticles report them: latency per key and outcome, and the share of this
 * worker's time given to scans another worker coordinates (whether sharding pays, seen from the peer).
 */
final class CallMeters {
  private static final Duration[] LATENCY_BUCKETS = ScanMeters.seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120);

  private final MeterRegistry registry;
  private final Tags worker;
  private final String ownCoordinator;
  private final Set<Meter> meters = new LinkedHashSet<>();
  private final Counter peerFiles;
  private final Counter peerBusy;

  /** @param ownCoordinator the event-bus address of this worker's coordinator: calls answering elsewhere are peer work */
  CallMeters(MeterRegistry registry, String nodeId, String ownCoordinator) {
    this.registry = registry;
    this.worker = Tags.of("worker", nodeId);
    this.ownCoordinator = ownCoordinator;
    peerFiles = Counter.builder("scanner.peer.files.processed")
        .description("Files (per reviewed chunk) this worker reviewed for scans coordinated by another worker")
        .tags(worker).register(registry);
    peerBusy = Counter.builder("scanner.peer.busy.seconds")
        .description("Seconds of model calls this worker's keys spent on scans coordinated by another worker")
        .tags(worker).register(registry);
    meters.add(peerFiles);
    meters.add(peerBusy);
  }

  Set<Meter> meters() {
    return meters;
  }

  /** {@code {"key", "outcome", "ms", "replyTo", "files"}} from a key verticle. */
  void onCall(JsonObject call) {
    String outcome = call.getString("outcome", "unknown").toLowerCase(Locale.ROOT);
    long ms = Math.max(0, call.getLong("ms", 0L));
    Timer timer = Timer.builder("scanner.model.latency")
        .description("Time from sending a review request to its answer (or failure), per key and outcome")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .tags(worker.and("key", call.getString("key", "unknown")).and("outcome", outcome))
        .register(registry);
    meters.add(timer);
    timer.record(Duration.ofMillis(ms));
    if (!ownCoordinator.equals(call.getString("replyTo", ownCoordinator))) {
      peerBusy.increment(ms / 1000.0);
      if ("ok".equals(outcome)) peerFiles.increment(call.getInteger("files", 0));
    }
  }
}
