package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, run against each engine (H2, PostgreSQL, and memory where it applies): a
 * subclass opens a fresh, empty store per test. Nothing here is mocked.
 */
abstract class ScanStoreContract {
  protected Vertx vertx;
  protected ScanStore store;

  /** A fresh store; for a database, on its own empty database or data directory. */
  protected abstract ScanStore open(Vertx vertx, Duration retention, boolean keepLatestPerProject) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    vertx = Vertx.vertx();
    store = open(vertx, Duration.ofHours(24), true);
  }

  @AfterEach
  void closeStore() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static JsonObject record(String id, String status, long createdAt, String owner, String project) {
    JsonObject r = new JsonObject().put("id", id).put("status", status).put("createdAt", Instant.ofEpochMilli(createdAt).toString())
        .put("project", project).put(ScanRecords.OWNER, owner).put(ScanRecords.COORDINATOR_NODE, "node-1")
        .put(ScanRecords.LAST_SEQ, 0L).put("progress", new JsonObject().put("filesTotal", 1));
    if (io.github.cgscanner.domain.ScanStatus.isFinal(status)) r.put("finishedAt", Instant.ofEpochMilli(createdAt + 1000).toString());
    return r;
  }

  static JsonObject finding(String id, String severity) {
    return new JsonObject().put("id", id).put("ruleId", "rules/eval").put("title", "t " + id).put("severity", severity)
        .put("confidence", "high").put("path", "a.js").put("startLine", 1).put("endLine", 1).put("source", "rules");
  }

  @Test
  void aRecordIsSavedReadAndUpdated() throws Exception {
    JsonObject r = record("s1", "queued", 1_000, "alice", "proj");
    await(store.saveScan(r));
    assertEquals(r, await(store.scan("s1")));
    JsonObject later = r.copy().put("status", "completed").put("finishedAt", Instant.ofEpochMilli(5_000).toString()).put(ScanRecords.LAST_SEQ, 7L);
    await(store.saveScan(later));
    assertEquals(later, await(store.scan("s1")));
    assertNull(await(store.scan("nope")));
  }

  @Test
  void eventsAreReadInOrderUpToAHoleAndARepeatedWriteIsHarmless() throws Exception {
    List<ScanEvent> first = new ArrayList<>();
    int total = ScanStore.PAGE + 44;
    for (int i = 1; i <= total; i++) first.add(new ScanEvent(i, ScanEvent.Type.PROGRESS, new JsonObject().put("n", i).put("text", "é ✓ ' \" ; --")));
    await(store.appendEvents("s", first));
    await(store.appendEvents("s", first.subList(total - 50, total)));
    List<ScanEvent> page = await(store.events("s", 0, ScanStore.PAGE));
    assertEquals(ScanStore.PAGE, page.size());
    assertEquals(1, page.get(0).seq());
    assertEquals("é ✓ ' \" ; --", page.get(0).data().getString("text"), "text comes back as it went in");
    assertEquals(44, await(store.events("s", ScanStore.PAGE, ScanStore.PAGE)).size());
    await(store.appendEvents("s", List.of(new ScanEvent(total + 2, ScanEvent.Type.DONE, new JsonObject()))));
    assertEquals(0, await(store.events("s", total, 10)).size(), "the next one is missing: reading stops before the hole");
    JsonObject rec = record("s", "completed", 1, null, null).put(ScanRecords.LAST_SEQ, total + 2L);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.allEvents(rec)));
    assertInstanceOf(IncompleteLogException.class, e.getCause());
    await(store.appendEvents("s", List.of(new ScanEvent(total + 1, ScanEvent.Type.STATUS, new JsonObject()),
        new ScanEvent(total + 2, ScanEvent.Type.DONE, new JsonObject()))));
    assertEquals(total + 2, await(store.allEvents(rec)).size());
  }

  @Test
  void listsArePagedNewestFirstAndFilteredByOwnerProjectAndStatus() throws Exception {
    for (int i = 0; i < 25; i++) {
      await(store.saveScan(record("scan-" + i, i % 2 == 0 ? "completed" : "failed", 10_000 + (i / 2) * 10, i % 3 == 0 ? "bob" : "alice",
          i % 5 == 0 ? "p5" : "other")));
    }
    List<String> all = new ArrayList<>();
    ScanQuery.Position after = null;
    do {
      ScanPage page = await(store.listScans(new ScanQuery(null, null, null, 7, after)));
      page.scans().forEach(s -> all.add(s.getString("id")));
      after = page.next();
      if (after != null) assertEquals(7, page.scans().size());
    } while (after != null);
    assertEquals(25, all.size());
    assertEquals(25, new HashSet<>(all).size(), "no scan twice, none skipped, even with equal createdAt");
    assertTrue(all.indexOf("scan-24") < all.indexOf("scan-0"), "newest first");
    ScanPage bobs = await(store.listScans(new ScanQuery("bob", null, null, 100, null)));
    assertEquals(9, bobs.scans().size());
    assertTrue(bobs.scans().stream().allMatch(s -> "bob".equals(s.getString(ScanRecords.OWNER))));
    assertNull(bobs.next());
    ScanPage p5Failed = await(store.listScans(new ScanQuery(null, "p5", "failed", 100, null)));
    assertEquals(Set.of("scan-5", "scan-15"), Set.copyOf(p5Failed.scans().stream().map(s -> s.getString("id")).toList()));
  }

  @Test
  void findingsArePagedAndFiltered() throws Exception {
    List<ScanEvent> log = new ArrayList<>();
    log.add(new ScanEvent(1, ScanEvent.Type.STATUS, new JsonObject()));
    String[] severities = {"critical", "high", "medium", "low", "info"};
    for (int i = 0; i < 50; i++) log.add(new ScanEvent(i + 2, ScanEvent.Type.FINDING, finding("f" + i, severities[i % 5])));
    await(store.appendEvents("s", log));
    FindingPage whole = await(store.findingsPage("s", FindingQuery.all()));
    assertEquals(50, whole.findings().size());
    assertEquals(0, whole.nextAfterSeq());
    List<String> ids = new ArrayList<>();
    long after = 0;
    do {
      FindingPage page = await(store.findingsPage("s", new FindingQuery(Set.of("high", "critical"), Set.of(), Set.of(), 6, after)));
      page.findings().forEach(f -> ids.add(f.getString("id")));
      after = page.nextAfterSeq();
    } while (after > 0);
    assertEquals(20, ids.size());
    assertEquals("f0", ids.get(0), "in the order they were found");
    assertEquals(10, await(store.findingsPage("s", new FindingQuery(Set.of("low"), Set.of("open"), Set.of(), 0, 0))).findings().size());
    assertEquals(0, await(store.findingsPage("s", new FindingQuery(Set.of(), Set.of("suppressed"), Set.of(), 0, 0))).findings().size());
  }

  @Test
  void onlyOneOfTwoRacingTakeOversWinsAndTheLoserIsFenced() throws Exception {
    JsonObject r = record("s", "scanning", 1_000, "o", null);
    await(store.saveScan(r));
    JsonObject a = r.copy().put("status", "failed").put("finishedAt", Instant.now().toString());
    JsonObject b = r.copy().put("status", "failed").put("finishedAt", Instant.now().toString()).put(ScanRecords.COORDINATOR_NODE, "b");
    List<Boolean> won = List.of(await(store.replaceScan(r, a)), await(store.replaceScan(r, b)));
    assertEquals(List.of(true, false), won);
    assertEquals(2, ScanRecords.ownerVersion(await(store.scan("s"))), "a take-over moves the owner version on");
    assumeTrue(store.durable(), "the memory store does not fence its old coordinator");
    ExecutionException fenced = assertThrows(ExecutionException.class, () -> await(store.saveScan(r.copy().put("status", "scanning"))));
    assertInstanceOf(FencedException.class, fenced.getCause(), "the old owner (version 1) cannot write any more");
    assertEquals("failed", await(store.scan("s")).getString("status"));
    ExecutionException noEvents = assertThrows(ExecutionException.class,
        () -> await(store.appendEvents("s", 1, List.of(new ScanEvent(1, ScanEvent.Type.FINDING, finding("late", "high"))))));
    assertInstanceOf(FencedException.class, noEvents.getCause(), "nor append events");
    assertTrue(await(store.events("s", 0, 10)).isEmpty());
    await(store.appendEvents("s", 2, List.of(new ScanEvent(1, ScanEvent.Type.STATUS, new JsonObject()))));
    assertEquals(1, await(store.events("s", 0, 10)).size(), "the new owner (version 2) appends");
  }

  @Test
  void retentionDeletesOldScansWholeButKeepsTheLatestCompletedOfEachProjectAndRef() throws Exception {
    assumeTrue(store.durable(), "the memory store has its own bound instead");
    await(store.close());
    store = open(vertx, Duration.ofMillis(1), true);
    long old = System.currentTimeMillis() - 3_600_000;
    for (int i = 0; i < 120; i++) {
      JsonObject r = record("old-" + i, "failed", old + i, "o", null);
      await(store.appendEvents(r.getString("id"), List.of(new ScanEvent(1, ScanEvent.Type.FINDING, finding("x", "high")))));
      await(store.saveScan(r.put(ScanRecords.LAST_SEQ, 1L)));
    }
    await(store.saveScan(record("p-main-1", "completed", old, "o", "p").put(ScanRecords.REF, "main")));
    await(store.saveScan(record("p-main-2", "completed", old + 10, "o", "p").put(ScanRecords.REF, "main")));
    await(store.saveScan(record("p-main-3", "failed", old + 20, "o", "p").put(ScanRecords.REF, "main")));
    await(store.saveScan(record("p-dev-1", "completed", old, "o", "p").put(ScanRecords.REF, "dev")));
    await(store.saveScan(record("running", "scanning", old, "o", "p")));
    assertEquals(122, await(store.sweep()), "in batches, more than one");
    assertNull(await(store.scan("old-7")));
    assertEquals(List.of(), await(store.events("old-7", 0, 10)), "with every event");
    assertEquals(0, await(store.findingsPage("old-7", FindingQuery.all())).findings().size(), "and its findings");
    assertNull(await(store.scan("p-main-1")));
    assertNotNull(await(store.scan("p-main-2")), "the latest completed scan of p/main stays");
    assertNull(await(store.scan("p-main-3")));
    assertNotNull(await(store.scan("p-dev-1")), "and of p/dev");
    assertNotNull(await(store.scan("running")), "an unfinished scan is never deleted");
    assertEquals(0, await(store.sweep()));
  }

  @Test
  void heartbeatsTellWhichWorkersAreAliveAndEveryWorkerSharesOneCursorKey() throws Exception {
    assumeTrue(store.durable());
    await(store.heartbeat("w1"));
    await(store.heartbeat("w1"));
    assertEquals(Set.of("w1"), await(store.liveNodes(Duration.ofMinutes(1))));
    Thread.sleep(30);
    assertEquals(Set.of(), await(store.liveNodes(Duration.ofMillis(10))));
    byte[] key = await(store.cursorKey());
    assertEquals(32, key.length);
    ScanStore other = reopen(vertx);
    try {
      assertTrue(java.util.Arrays.equals(key, await(other.cursorKey())), "a second worker on the same database signs alike");
    } finally {
      await(other.close());
    }
  }

  /** A second store on the same database (another worker), or null when the engine has no such thing. */
  protected abstract ScanStore reopen(Vertx vertx) throws Exception;

  @Test
  void preparedTasksAreStoredFencedAndDeleted() throws Exception {
    JsonObject r = record("s", "scanning", 1_000, "o", null);
    await(store.saveScan(r));
    JsonObject payload = new JsonObject().put("parts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("text", "x = '«masked»';")));
    await(store.saveTasks("s", 1, List.of(new StoredTask("t1", "pending", 0, payload, null), new StoredTask("t2", "pending", 0, payload, null))));
    await(store.updateTasks("s", 1, List.of(new StoredTask("t1", "done", 1, null,
        new JsonObject().put("requests", 1).put("promptTokens", 120).put("completionTokens", 30).put("cachedTokens", 100)))));
    List<StoredTask> tasks = await(store.tasks("s"));
    assertEquals(2, tasks.size());
    assertEquals("done", tasks.get(0).state());
    assertEquals(120L, tasks.get(0).usage().getLong("promptTokens"));
    assertEquals(payload, tasks.get(1).payload());
    if (store.durable()) {
      assertTrue(await(store.replaceScan(r, r.copy().put(ScanRecords.COORDINATOR_NODE, "survivor"))));
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.updateTasks("s", 1,
          List.of(new StoredTask("t2", "done", 1, null, new JsonObject())))));
      assertInstanceOf(FencedException.class, e.getCause());
      await(store.updateTasks("s", 2, List.of(new StoredTask("t2", "done", 1, null, new JsonObject()))));
    }
    await(store.deleteTasks("s"));
    assertEquals(List.of(), await(store.tasks("s")));
  }

  @Test
  void unfinishedAndRecentlyFinishedScansAreFoundForSurvivors() throws Exception {
    long now = System.currentTimeMillis();
    await(store.saveScan(record("running", "scanning", now, "o", null)));
    await(store.saveScan(record("just-done", "completed", now, "o", null)));
    await(store.saveScan(record("long-done", "completed", now - 3_600_000, "o", null)));
    Set<String> found = new HashSet<>();
    await(store.unfinishedOrRecent(Duration.ofMinutes(10))).forEach(s -> found.add(s.getString("id")));
    assertTrue(found.containsAll(Set.of("running", "just-done")), found.toString());
    if (store.durable()) assertFalse(found.contains("long-done"));
  }

  /** Every value reaches the database as a bound parameter: SQL in ids, owners, projects and filters is just text. */
  @Test
  void sqlMetacharactersInEveryValueAreJustText() throws Exception {
    String[] hostile = {"x' OR '1'='1", "x'; DROP TABLE scans; --", "\" OR \"\"=\"", "%", "_", "\\", "'); DELETE FROM scan_events; --",
        "x') OR 1=1 --", "1 UNION SELECT record FROM scans --"};
    await(store.saveScan(record("victim", "completed", 1_000, "alice", "p")));
    await(store.appendEvents("victim", List.of(new ScanEvent(1, ScanEvent.Type.FINDING, finding("f", "high")))));
    for (String h : hostile) {
      assertNull(await(store.scan(h)));
      assertEquals(0, await(store.listScans(new ScanQuery(h, null, null, 10, null))).scans().size(), "owner " + h);
      assertEquals(0, await(store.listScans(new ScanQuery(null, h, null, 10, null))).scans().size(), "project " + h);
      assertEquals(0, await(store.listScans(new ScanQuery(null, null, h, 10, null))).scans().size(), "status " + h);
      assertEquals(List.of("victim"), await(store.listScans(new ScanQuery(null, null, null, 10, new ScanQuery.Position(Long.MAX_VALUE, h))))
          .scans().stream().map(s -> s.getString("id")).toList(), "cursor id " + h);
      assertEquals(0, await(store.events(h, 0, 10)).size());
      assertEquals(0, await(store.findingsPage("victim", new FindingQuery(Set.of(h), Set.of(), Set.of(), 0, 0))).findings().size());
      assertEquals(0, await(store.findingsPage("victim", new FindingQuery(Set.of(), Set.of(h), Set.of(h), 0, 0))).findings().size());
      assertEquals(0, await(store.findingsPage(h, FindingQuery.all())).findings().size());
      await(store.saveScan(record(h, "completed", 2_000, h, h).put(ScanRecords.REF, h)));
      String state = h.substring(0, Math.min(32, h.length()));
      await(store.appendEvents(h, List.of(new ScanEvent(1, ScanEvent.Type.FINDING, finding(h, "high").put("state", state)))));
      assertEquals(h, await(store.scan(h)).getString("project"), "stored as given");
      assertEquals(1, await(store.listScans(new ScanQuery(h, h, "completed", 10, null))).scans().size());
      assertEquals(h, await(store.findingsPage(h, new FindingQuery(Set.of("high"), Set.of(state), Set.of(), 10, 0))).findings().get(0).getString("id"));
      await(store.heartbeat(h));
      await(store.deleteScan(h, 1));
      assertNull(await(store.scan(h)));
    }
    assertNotNull(await(store.scan("victim")), "nothing else was touched");
    assertEquals(1, await(store.events("victim", 0, 10)).size());
    assertEquals(1, await(store.listScans(new ScanQuery(null, null, null, 100, null))).scans().size());
  }
}
