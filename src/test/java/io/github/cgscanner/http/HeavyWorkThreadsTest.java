package io.github.cgscanner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.MemoryScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building a 10,000-finding SARIF report and reading a 16 MiB submission take long enough to stall an
 * event loop: they must run on the scanner's blocking pool. Checked by the thread that does the work,
 * not by timing a busy machine.
 */
class HeavyWorkThreadsTest {
  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void bigReportsAndBigSubmissionsAreBuiltOnTheBlockingPool() throws Exception {
    ScannerConfig config = ConfigLoader.load(null, Map.of(), Map.of("http.port", 0));
    MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofHours(1), 10);
    List<ScanEvent> events = new ArrayList<>();
    for (int i = 1; i <= 10_000; i++) {
      events.add(new ScanEvent(i, ScanEvent.Type.FINDING, new JsonObject().put("id", "f" + i).put("ruleId", "rules/eval")
          .put("severity", "high").put("confidence", "medium").put("path", "a.js").put("startLine", i).put("endLine", i)
          .put("title", "t").put("source", "rules")));
    }
    await(store.appendEvents("big", events));
    await(store.saveScan(new JsonObject().put("id", "big").put("status", "completed").put("modelReview", "skipped")
        .put("lastSeq", 10_000).put("failedFiles", new JsonArray()).put("source", new JsonObject().put("kind", "files"))));
    Reports reports = new Reports("test") {
      @Override
      Buffer sarif(JsonObject scan, List<Finding> findings) {
        threads.add("sarif:" + Thread.currentThread().getName());
        return super.sarif(scan, findings);
      }
    };
    SubmissionParser parser = new SubmissionParser(config.sources()) {
      @Override
      Submission parse(Buffer body) {
        threads.add("parse:" + Thread.currentThread().getName());
        return super.parse(body);
      }
    };
    HttpVerticle.Settings settings = new HttpVerticle.Settings("n1", "test", config.http(), config.auth(), config.sources(), 1,
        false, tmp);
    vertx.eventBus().<JsonObject>consumer(Addresses.submit("n1"), m -> m.reply(new JsonObject().put("id", "new")));
    await(vertx.deployVerticle(new HttpVerticle(settings, store, parser, reports)));
    int port = (Integer) vertx.sharedData().getLocalMap(Addresses.NODE_MAP).get("httpPort");
    WebClient client = WebClient.create(vertx);

    var sarif = await(client.get(port, "127.0.0.1", "/api/v1/scans/big/report.sarif").send());
    assertEquals(200, sarif.statusCode());
    assertEquals(10_000, sarif.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("results").size());

    StringBuilder content = new StringBuilder();
    while (content.length() < (15 << 20)) content.append("x = 1  # padding padding padding padding padding padding\n");
    JsonObject body = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
        .add(new JsonObject().put("path", "big.py").put("content", content.toString()))));
    var submitted = await(client.post(port, "127.0.0.1", "/api/v1/scans").putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()));
    assertTrue(submitted.statusCode() == 202 || submitted.statusCode() == 400, submitted.bodyAsString());

    assertEquals(2, threads.size(), threads.toString());
    for (String t : threads) assertTrue(t.contains(Addresses.BLOCKING_POOL), "ran on an event loop: " + t);
  }
}
