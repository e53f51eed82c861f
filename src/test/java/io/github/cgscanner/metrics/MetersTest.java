package io.github.cgscanner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetersTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  static JsonObject progress(int total, int scanned, int failed, int skipped) {
    return new JsonObject().put("filesTotal", total).put("filesScanned", scanned).put("filesFailed", failed).put("filesSkipped", skipped);
  }

  static JsonObject scan(String status, JsonObject progress, boolean sharded) {
    return new JsonObject().put("status", status).put("createdAt", "2025-01-01T10:00:00Z").put("startedAt", "2025-01-01T10:00:02Z")
        .put("finishedAt", "2025-01-01T10:01:02Z").put("progress", progress).put("sharded", sharded);
  }

  double counter(MeterRegistry r, String name) {
    return r.get(name).tag("worker", "w1").counter().count();
  }

  @Test
  void theAutoscalerSeesTheClusterWideQueueAndBacklog() {
    ScanMeters scans = new ScanMeters(registry, "w1");
    scans.cluster(List.of(new JsonObject().put("queued", 3).put("backlog", 40), new JsonObject().put("queued", 2)));
    String text = registry.scrape();
    assertTrue(text.contains("scanner_scans_waiting{worker=\"w1\"} 5.0"), text);
    assertTrue(text.contains("scanner_backlog_tasks{worker=\"w1\"} 40.0"), text);
  }

  @Test
  void filesAdvanceByProgressDifferencesAcrossInterleavedScansAndDoneRecordsTheDuration() {
    ScanMeters scans = new ScanMeters(registry, "w1");
    scans.onEvent("a", "status", scan("scanning", progress(10, 0, 0, 3), false));
    scans.onEvent("b", "progress", progress(5, 2, 0, 1));
    scans.onEvent("a", "progress", progress(10, 4, 1, 3));
    assertEquals(6, counter(registry, "scanner.files.scanned"));
    assertEquals(4, counter(registry, "scanner.files.skipped"));
    assertEquals(1, counter(registry, "scanner.files.failed"));

    scans.onEvent("a", "status", scan("completed", progress(10, 9, 1, 3), true));
    scans.onEvent("a", "done", scan("completed", progress(10, 9, 1, 3), true));
    scans.onEvent("b", "done", scan("completed", progress(5, 5, 0, 1), false));
    assertEquals(14, counter(registry, "scanner.files.scanned"), "each file once, whatever the events repeat");
    var timer = registry.get("scanner.scan.duration").tags("worker", "w1", "status", "completed").timer();
    assertEquals(2, timer.count());
    assertEquals(60, timer.totalTime(TimeUnit.SECONDS) / 2, 0.001, "from startedAt to finishedAt");
    assertEquals(1, counter(registry, "scanner.scans.sharded"));

    scans.onEvent("q", "done", scan("cancelled", progress(0, 0, 0, 0), false).putNull("startedAt"));
    assertEquals(62, registry.get("scanner.scan.duration").tags("status", "cancelled").timer().totalTime(TimeUnit.SECONDS), 0.001,
        "never started: measured from submission");

    scans.load(2, 5);
    String text = registry.scrape();
    assertTrue(text.contains("scanner_scans_running{worker=\"w1\"} 2"), text);
    assertTrue(text.contains("scanner_scans_queued{worker=\"w1\"} 5"), text);
    assertFalse(text.contains("\"a\"") || text.contains("\"b\""), "scan ids are never labels");
  }

  @Test
  void keyOutcomesPartitionTheRequestsAndUtilizationIsBusySlotsOverAll() {
    KeyMeters keys = new KeyMeters(registry, "w1");
    keys.register(List.of("key-0", "key-1"));
    assertNull(keys.update(new JsonObject().put("key", "key-0").put("state", "healthy").put("inFlight", 3).put("capacity", 4)
        .put("requests", 20).put("ok", 12).put("invalid", 2).put("rateLimited", 3).put("serverErrors", 2).put("timeouts", 1)
        .put("promptTokens", 1000).put("cachedTokens", 400).put("completionTokens", 50)));
    keys.update(new JsonObject().put("key", "key-1").put("state", "healthy"));
    assertEquals("healthy", keys.update(new JsonObject().put("key", "key-1").put("state", "throttled").put("inFlight", 1).put("capacity", 4)));
    assertEquals(0.5, keys.utilization(), 1e-9);

    double sum = 0;
    for (String outcome : List.of("ok", "invalid", "rate_limited", "server_error", "timeout", "other")) {
      double n = registry.get("scanner.key.requests").tags("key", "key-0", "outcome", outcome).functionCounter().count();
      sum += n;
      if (outcome.equals("ok")) assertEquals(10, n, "valid answers only");
      if (outcome.equals("other")) assertEquals(2, n, "requests in no other bucket");
    }
    assertEquals(20, sum);
    assertEquals(400, registry.get("scanner.key.tokens").tags("key", "key-0", "type", "cached").functionCounter().count());
    assertEquals(1, registry.get("scanner.key.state").tags("key", "key-1", "state", "throttled").gauge().value());
    assertEquals(0, registry.get("scanner.key.state").tags("key", "key-1", "state", "healthy").gauge().value());
  }

  @Test
  void callsForAnotherCoordinatorCountAsPeerWork() {
    CallMeters calls = new CallMeters(registry, "w1", "scanner.coordinator.w1");
    calls.onCall(new JsonObject().put("key", "key-0").put("outcome", "OK").put("ms", 800).put("replyTo", "scanner.coordinator.w1").put("files", 3));
    calls.onCall(new JsonObject().put("key", "key-1").put("outcome", "OK").put("ms", 1500).put("replyTo", "scanner.coordinator.w2").put("files", 2));
    calls.onCall(new JsonObject().put("key", "key-1").put("outcome", "RATE_LIMITED").put("ms", 500).put("replyTo", "scanner.coordinator.w2").put("files", 4));
    assertEquals(2, counter(registry, "scanner.peer.files.processed"), "only answered peer tasks count files");
    assertEquals(2.0, counter(registry, "scanner.peer.busy.seconds"), 1e-9);
    assertEquals(1, registry.get("scanner.model.latency").tags("key", "key-1", "outcome", "rate_limited").timer().count());
    assertTrue(registry.scrape().contains("scanner_model_latency_seconds_bucket{key=\"key-0\",outcome=\"ok\",worker=\"w1\",le=\"1.0\"} 1"));
  }
}
