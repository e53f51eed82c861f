package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.source.WorkRoot;
import io.github.cgscanner.store.MemoryScanStore;
import io.github.cgscanner.store.ReviewCache;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator in this JVM, local-only, with a store that can be made to fail: how scans end when things go wrong. */
class ScanEndingTest {
  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The memory store, except that writing a batch with a finding fails: the store went away mid-scan. */
  static final class FailingFindings extends ForwardingStore {
    final AtomicInteger refused = new AtomicInteger();

    FailingFindings(ScanStore delegate) {
      super(delegate);
    }

    @Override
    public Future<Void> appendEvents(String scanId, List<ScanEvent> events) {
      if (events.stream().anyMatch(e -> e.type() == ScanEvent.Type.FINDING)) {
        refused.incrementAndGet();
        return Future.failedFuture("the store is unreachable");
      }
      return super.appendEvents(scanId, events);
    }

    @Override
    public Future<Void> appendEvents(String scanId, long ownerVersion, List<ScanEvent> events) {
      if (events.stream().anyMatch(e -> e.type() == ScanEvent.Type.FINDING)) {
        refused.incrementAndGet();
        return Future.failedFuture("the store is unreachable");
      }
      return super.appendEvents(scanId, ownerVersion, events);
    }
  }

  private String deployAndSubmit(ScanStore store, JsonObject files) throws Exception {
    ScannerConfig config = ConfigLoader.load(null, Map.of(), Map.of());
    WorkRoot root = WorkRoot.open(tmp.resolve("work"));
    await(vertx.deployVerticle(new DispatcherVerticle("n1")));
    await(vertx.deployVerticle(new ScanCoordinatorVerticle(
        new ScanCoordinatorVerticle.Settings("n1", config.sources(), config.scan(), config.model(), config.review(), config.cache(),
            Map.of(), Duration.ofSeconds(3)), store, ReviewCache.OFF, root)));
    JsonObject scan = await(new CoordinatorClient(vertx.eventBus()).submit("n1",
        new SubmitScan(SourceSpec.parseSubmitted(files, config.sources()).toJson(), ScanOptions.none(), null, null)));
    return scan.getString("id");
  }

  private static JsonObject inlineFiles(String path, String content) {
    return new JsonObject().put("files", new JsonArray().add(new JsonObject().put("path", path).put("content", content)));
  }

  private JsonObject awaitFinal(ScanStore store, String id) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject r = await(store.scan(id));
      if (r != null && io.github.cgscanner.domain.ScanStatus.isFinal(r.getString("status"))) return r;
      Thread.sleep(100);
    }
    throw new AssertionError("scan " + id + " did not finish");
  }

  @Test
  void aWriteThatCannotBeMadeFailsTheScanStoreUnavailableAndItsEndIsStillWritten() throws Exception {
    FailingFindings store = new FailingFindings(new MemoryScanStore(vertx, Duration.ofHours(1), 10));
    String id = deployAndSubmit(store, inlineFiles("a.js", "eval(userInput);\n"));
    JsonObject record = awaitFinal(store, id);
    assertEquals("failed", record.getString("status"), record.encodePrettily());
    assertEquals("store_unavailable", record.getJsonObject("error").getString("code"));
    assertTrue(store.refused.get() >= 4, "the write was retried before giving up: " + store.refused.get());
    Thread.sleep(500);
    long lastSeq = record.getLong("lastSeq");
    assertEquals(ScanEvent.Type.DONE, await(store.events(id, lastSeq - 1, 1)).get(0).type(), "the final events were written");
    assertTrue(await(store.events(id, 0, (int) lastSeq)).size() < lastSeq, "the findings' batch is the hole");
  }
}
