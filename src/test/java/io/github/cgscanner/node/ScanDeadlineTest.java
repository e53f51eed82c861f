package io.github.cgscanner.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A scan whose model never answers in time ends at its deadline, with counters that add up. */
class ScanDeadlineTest {
  private static final String KEY = "sk-test-deadline-0123456789abcdef";

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void aScanPastScanMaxDurationFailsDeadlineExceeded() throws Exception {
    Vertx simVertx = Vertx.vertx();
    ModelSimulator sim = new ModelSimulator(simVertx, SimulatorOptions.builder().keys(KEY).latency(60_000, 0).build());
    await(sim.start());
    ScannerConfig config = ConfigLoader.load(null, Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", sim.baseUrl(), "SCANNER_STORE", "memory"),
        Map.of("scan.maxDuration", "8s"));
    ScannerNode node = await(ScannerNode.standalone(config, false, "test"));
    try {
      JsonArray files = new JsonArray();
      for (int i = 0; i < 5; i++) files.add(new JsonObject().put("path", "src/F" + i + ".py").put("content", "os.system(cmd" + i + ")\n"));
      SourceSpec spec = SourceSpec.parseSubmitted(new JsonObject().put("files", files), config.sources());
      String id = await(new CoordinatorClient(node.vertx().eventBus()).submit(node.nodeId(),
          new SubmitScan(spec.toJson(), ScanOptions.none(), null, null))).getString("id");
      long deadline = System.currentTimeMillis() + 30_000;
      JsonObject scan = null;
      while (System.currentTimeMillis() < deadline) {
        scan = await(node.store().scan(id));
        if (scan != null && ScanStatus.isFinal(scan.getString("status"))) break;
        Thread.sleep(100);
      }
      assertEquals("failed", scan.getString("status"), scan.encodePrettily());
      assertEquals("deadline_exceeded", scan.getJsonObject("error").getString("code"));
      JsonObject progress = scan.getJsonObject("progress");
      assertEquals(5, progress.getInteger("filesTotal"));
      assertEquals(5, progress.getInteger("filesScanned") + progress.getInteger("filesFailed"), "the counters add up");
      assertTrue(scan.getJsonArray("failedFiles").size() > 0);
    } finally {
      node.close(Duration.ofSeconds(10));
      await(simVertx.close());
    }
  }
}
