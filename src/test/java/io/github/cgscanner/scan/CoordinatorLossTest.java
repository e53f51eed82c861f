package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.MemoryScanStore;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoordinatorLossTest {
  static JsonObject record(String id, String coordinator, String status, long lastSeq) {
    return new JsonObject().put("id", id).put("status", status).put("owner", "o").put("coordinatorNode", coordinator)
        .put("coordinator", coordinator).put("lastSeq", lastSeq).put("modelReview", null)
        .put("progress", new JsonObject().put("filesTotal", 10).put("filesScanned", 2).put("filesFailed", 0).put("filesSkipped", 1))
        .put("usage", new JsonObject().put("requests", 3))
        .put("findingsBySeverity", new JsonObject().put("critical", 0).put("high", 0).put("medium", 0).put("low", 0).put("info", 0));
  }

  static ScanEvent event(long seq, String type, JsonObject data) {
    return new ScanEvent(seq, ScanEvent.Type.parse(type), data);
  }

  static MemoryScanStore store(Vertx vertx) {
    return new MemoryScanStore(vertx, Duration.ofHours(24), 100);
  }

  static List<ScanEvent> all(ScanStore store, String id) throws Exception {
    return await(store.events(id, 0, 1000));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theFailedRecordCountsEveryUnresolvedFileAndContinuesTheLog() {
    JsonObject current = record("s1", "lost", "scanning", 3);
    List<ScanEvent> events = List.of(
        event(1, "status", new JsonObject()),
        event(2, "finding", new JsonObject().put("severity", "high")),
        event(3, "progress", new JsonObject().put("filesTotal", 10).put("filesScanned", 4).put("filesFailed", 1).put("filesSkipped", 1)),
        // written after the record was last saved
        event(4, "finding", new JsonObject().put("severity", "critical")),
        event(5, "progress", new JsonObject().put("filesTotal", 10).put("filesScanned", 6).put("filesFailed", 1).put("filesSkipped", 1)));
    JsonObject r = CoordinatorLoss.failedRecord(current, events, "me", Instant.parse("2030-01-01T00:00:00Z"));
    assertEquals("failed", r.getString("status"));
    assertEquals("coordinator_lost", r.getJsonObject("error").getString("code"));
    assertEquals("me", r.getString("coordinatorNode"));
    assertEquals(7, r.getLong("lastSeq"), "status and done follow event 5");
    JsonObject p = r.getJsonObject("progress");
    assertEquals(6, p.getInteger("filesScanned"));
    assertEquals(4, p.getInteger("filesFailed"));
    assertEquals(10, p.getInteger("filesScanned") + p.getInteger("filesFailed"));
    assertEquals(1, r.getJsonObject("findingsBySeverity").getInteger("critical"));
    assertEquals(1, r.getJsonObject("findingsBySeverity").getInteger("high"));
    assertEquals("partial", r.getString("modelReview"));
    assertEquals("2030-01-01T00:00:00Z", r.getString("finishedAt"));
    assertEquals("scanning", current.getString("status"), "the current record is not modified");
  }

  @Test
  void exactlyOneSurvivorTakesAScanOverAndOnlyUnfinishedScansOfTheLostNode() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScanStore store = store(vertx);
      await(store.saveScan(record("lostScan", "lost", "scanning", 1)));
      await(store.appendEvents("lostScan", List.of(event(1, "status", new JsonObject()))));
      await(store.appendEvents("lostScan", List.of(event(2, "finding", new JsonObject().put("severity", "low")))));
      await(store.saveScan(record("finished", "lost", "completed", 0)));
      await(store.saveScan(record("other", "alive", "scanning", 0)));
      List<JsonObject> live = new ArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.scanEvents("lostScan"), m -> {
        synchronized (live) {
          live.add(m.body());
        }
      });
      CoordinatorLoss a = new CoordinatorLoss(vertx, store, "survivor-a", null);
      CoordinatorLoss b = new CoordinatorLoss(vertx, store, "survivor-b", null);
      List<String> wonA = await(a.takeOver("lost"));
      List<String> wonB = await(b.takeOver("lost"));
      assertEquals(List.of("lostScan"), wonA);
      assertTrue(wonB.isEmpty(), "the second survivor finds it finished");

      JsonObject stored = await(store.scan("lostScan"));
      assertEquals("failed", stored.getString("status"));
      assertEquals("survivor-a", stored.getString("coordinatorNode"));
      assertEquals(4, stored.getLong("lastSeq"));
      List<ScanEvent> events = all(store, "lostScan");
      assertEquals(List.of("status", "finding", "status", "done"), events.stream().map(e -> e.type().wire()).toList());
      assertEquals("coordinator_lost", events.get(3).data().getJsonObject("error").getString("code"));
      assertFalse(events.get(3).data().containsKey("owner"), "events carry the public view");
      assertEquals("scanning", await(store.scan("other")).getString("status"));
      assertEquals("completed", await(store.scan("finished")).getString("status"));
      Thread.sleep(100);
      synchronized (live) {
        assertEquals(List.of(3L, 4L), live.stream().map(e -> e.getLong("seq")).toList());
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aFinishedScanWhoseLastEventsWereLostGetsThemFromItsRecord() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScanStore store = store(vertx);
      // Saved as finished with events 3 (status) and 4 (done) to come, then the coordinator died.
      await(store.saveScan(record("cut", "lost", "completed", 4)));
      await(store.appendEvents("cut", List.of(event(1, "status", new JsonObject()))));
      await(store.appendEvents("cut", List.of(event(2, "progress", new JsonObject()))));
      await(store.saveScan(record("whole", "lost", "completed", 2)));
      await(store.appendEvents("whole", List.of(event(1, "status", new JsonObject()))));
      await(store.appendEvents("whole", List.of(event(2, "done", new JsonObject().put("untouched", true)))));
      List<JsonObject> live = new ArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.scanEvents("cut"), m -> {
        synchronized (live) {
          live.add(m.body());
        }
      });
      assertTrue(await(new CoordinatorLoss(vertx, store, "survivor-a", null).takeOver("lost")).isEmpty(), "nothing to take over");
      assertTrue(await(new CoordinatorLoss(vertx, store, "survivor-b", null).takeOver("lost")).isEmpty());

      List<ScanEvent> cut = all(store, "cut");
      assertEquals(List.of("status", "progress", "status", "done"), cut.stream().map(e -> e.type().wire()).toList());
      assertEquals("completed", cut.get(3).data().getString("status"));
      assertFalse(cut.get(3).data().containsKey("owner"), "events carry the public view");
      assertEquals("completed", await(store.scan("cut")).getString("status"), "the record stays as it was");
      List<ScanEvent> whole = all(store, "whole");
      assertEquals(2, whole.size());
      assertTrue(whole.get(1).data().getBoolean("untouched"), "a complete log is left alone");
      Thread.sleep(100);
      synchronized (live) {
        assertEquals(List.of(3L, 4L), live.stream().map(e -> e.getLong("seq")).distinct().toList());
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void thePeriodicPassTakesOverScansWhoseCoordinatorIsNoLongerAMember() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScanStore store = store(vertx);
      // The membership event for "vanished" was missed: only the periodic pass can find its scan.
      await(store.saveScan(record("orphan", "vanished", "scanning", 0)));
      await(store.saveScan(record("kept", "alive", "scanning", 0)));
      List<String> won = await(new CoordinatorLoss(vertx, store, "survivor", null).takeOverAbsent(java.util.Set.of("alive", "survivor")));
      assertEquals(List.of("orphan"), won);
      assertEquals("failed", await(store.scan("orphan")).getString("status"));
      assertEquals("scanning", await(store.scan("kept")).getString("status"));
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aRaceForTheSameScanHasOneWinner() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScanStore store = store(vertx);
      await(store.saveScan(record("s", "lost", "scanning", 0)));
      List<Future<List<String>>> racers = new ArrayList<>();
      for (int i = 0; i < 4; i++) racers.add(new CoordinatorLoss(vertx, store, "survivor-" + i, null).takeOver("lost"));
      await(Future.all(racers));
      int winners = 0;
      for (Future<List<String>> r : racers) winners += r.result().size();
      assertEquals(1, winners);
      assertEquals(2, all(store, "s").size());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void sharingNeedsACluster_theThresholdAndRoomForTwo() {
    ScannerConfig.Scan scan = ScannerConfig.fromJson(ConfigLoader.defaults()).scan();
    int threshold = scan.shardThreshold();
    assertEquals(0, Recruiter.helpersWanted(scan, false, threshold * 10));
    assertEquals(0, Recruiter.helpersWanted(scan, true, threshold - 1));
    assertEquals(scan.maxWorkersPerScan() - 1, Recruiter.helpersWanted(scan, true, threshold));
    ScannerConfig.Scan alone = new ScannerConfig.Scan(threshold, 1, 2, 2, 100, 1000, scan.retention(), 3, scan.maxDuration(), 2);
    assertEquals(0, Recruiter.helpersWanted(alone, true, threshold * 10));
  }
}
