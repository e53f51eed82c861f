package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryScanStoreTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JsonObject record(String id, String status, long lastSeq) {
    return new JsonObject().put("id", id).put("status", status).put("lastSeq", lastSeq).put("owner", "o");
  }

  private void scanWithEvents(ScanStore store, String id, String status, int events) throws Exception {
    List<ScanEvent> log = new ArrayList<>();
    for (int i = 1; i <= events; i++) log.add(new ScanEvent(i, ScanEvent.Type.FINDING, new JsonObject().put("n", i)));
    await(store.appendEvents(id, log));
    await(store.saveScan(record(id, status, events)));
  }

  @Test
  void beyondItsBoundTheOldestFinishedScansLeaveWhole() throws Exception {
    MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofHours(24), 3);
    for (int i = 0; i < 5; i++) {
      scanWithEvents(store, "done-" + i, "completed", 4);
      Thread.sleep(2);
    }
    scanWithEvents(store, "running", "scanning", 4);
    assertEquals(2, await(store.sweep()));
    for (int i = 0; i < 2; i++) {
      assertNull(await(store.scan("done-" + i)), "the oldest go first");
      assertEquals(List.of(), await(store.events("done-" + i, 0, 10)), "with every event");
    }
    for (int i = 2; i < 5; i++) assertEquals(4, await(store.events("done-" + i, 0, 10)).size());
    assertNotNull(await(store.scan("running")), "a running scan is never evicted");
    assertEquals(0, await(store.sweep()));
  }

  @Test
  void finishedScansLeaveAfterTheirRetention() throws Exception {
    MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofMillis(50), 100);
    scanWithEvents(store, "old", "failed", 2);
    Thread.sleep(100);
    scanWithEvents(store, "new", "completed", 2);
    assertEquals(1, await(store.sweep()));
    assertNull(await(store.scan("old")));
    assertNotNull(await(store.scan("new")));
  }

  @Test
  void aLogWithAHoleIsNeverReadAsWhole() throws Exception {
    MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofHours(1), 10);
    await(store.appendEvents("s", List.of(new ScanEvent(1, ScanEvent.Type.STATUS, new JsonObject()),
        new ScanEvent(3, ScanEvent.Type.DONE, new JsonObject()))));
    JsonObject record = record("s", "completed", 3);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.findings(record)));
    assertInstanceOf(IncompleteLogException.class, e.getCause());
    await(store.appendEvents("s", List.of(new ScanEvent(2, ScanEvent.Type.FINDING, finding()))));
    assertEquals(1, await(store.findings(record)).size());
  }

  static JsonObject finding() {
    return new JsonObject().put("id", "f1").put("ruleId", "rules/eval").put("severity", "high").put("path", "a.js")
        .put("startLine", 1).put("endLine", 1).put("source", "rules");
  }
}
