package io.github.cgscanner.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.llm.BudgetBucket;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.EventFollower;
import io.github.cgscanner.store.ScanRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What workers on one real PostgreSQL without an event bus share through it: stored-event notices and key budgets. */
class SharedDatabaseTest {
  Vertx vertx;
  final List<Database> opened = new ArrayList<>();
  String url;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    url = PostgresServer.shared().newDatabase("shared_db");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Database db : opened) await(db.closeAsync());
    await(vertx.close());
  }

  Database open() throws Exception {
    Database db = await(Database.open(vertx, new Database.Target(Database.Engine.POSTGRESQL, url, PostgresServer.USER,
        PostgresServer.shared().password(), 4, url)));
    opened.add(db);
    return db;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void eventsStoredByOneWorkerAreAnnouncedToTheOthersWithTheirLastSequenceNumber() throws Exception {
    Database a = open();
    Database b = open();
    JdbcScanStore storeA = new JdbcScanStore(a, new Retention(Duration.ofHours(1), true, "node-a"), EventNotices.from("node-a"));
    await(vertx.deployVerticle(new EventNoticeListener(b, "node-b")));
    await(vertx.deployVerticle(new EventNoticeListener(a, "node-a")));
    LinkedBlockingQueue<Long> onB = new LinkedBlockingQueue<>();
    // Both workers' listeners run in this one Vert.x: what node-a's would pass on for its own events would show here too.
    vertx.eventBus().<Long>localConsumer(EventFollower.storedAddress("scan-1"), m -> onB.add(m.body()));
    Thread.sleep(1_000); // both listening
    await(storeA.saveScan(record("scan-1")));
    await(storeA.appendEvents("scan-1", List.of(event(1), event(2), event(3))));
    assertEquals(3L, onB.poll(5, TimeUnit.SECONDS), "the batch's last sequence number, once it is committed");
    await(storeA.appendEvents("scan-1", List.of(event(4))));
    assertEquals(4L, onB.poll(5, TimeUnit.SECONDS));
    assertNull(onB.poll(1, TimeUnit.SECONDS), "node-a's listener passes nothing on for its own events: once per batch");
    assertEquals(4, await(storeA.events("scan-1", 0, 100)).size());
  }

  @Test
  void aPayloadStaysFarBelowPostgresLimit() {
    String longest = EventNotices.payload("0".repeat(36), "s".repeat(EventNotices.MAX_SCAN_ID), Long.MAX_VALUE);
    assertTrue(longest.length() < 300, longest.length() + " bytes, the limit is 8,000");
    EventNotices.Notice n = EventNotices.Notice.parse(EventNotices.payload("node-a", "scan_1-x", 42));
    assertEquals(new EventNotices.Notice("node-a", 42, "scan_1-x"), n);
    assertNull(EventNotices.Notice.parse("node-a notanumber scan"));
    assertNull(EventNotices.Notice.parse("two parts"));
  }

  @Test
  void concurrentHoldersOnTwoPoolsNeverLeaseMoreThanTheBucketHolds() throws Exception {
    BudgetLeases one = new BudgetLeases(open());
    BudgetLeases other = new BudgetLeases(open());
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger asks = new AtomicInteger();
    long start = System.currentTimeMillis();
    long runMs = 3_000;
    List<Future<Void>> holders = new ArrayList<>();
    for (int i = 0; i < 8; i++) holders.add(keepAsking(i % 2 == 0 ? one : other, start + runMs, granted, asks));
    await(Future.all(holders));
    double seconds = (System.currentTimeMillis() - start) / 1000.0;
    // 600 rpm = 10 per second, one second of burst; a bucket whose limit just became known starts empty.
    System.out.printf("BudgetLeases: %d requests leased in %d transactions over %.1f s at 600 rpm%n", granted.get(), asks.get(), seconds);
    assertTrue(granted.get() <= 10 * seconds + 1, granted.get() + " leased in " + seconds + " s");
    assertTrue(granted.get() >= 10 * (seconds - 1), "the holders together get the rate: " + granted.get());
    BudgetBucket.Grant cooled = await(one.lease("key:test", 600, 0, 0, 0, 5_000));
    assertTrue(cooled.coolDownMs() > 4_000, "a cool-down is kept in the row: " + cooled);
    BudgetBucket.Grant later = await(other.lease("key:test", 0, 0, 1, 0, 0));
    assertEquals(0, later.requests(), "and reaches the other holders");
    assertEquals(600, later.rpm(), "as do the limits, for a holder that does not know them");
  }

  private Future<Void> keepAsking(BudgetLeases leases, long until, AtomicInteger granted, AtomicInteger asks) {
    if (System.currentTimeMillis() >= until) return Future.succeededFuture();
    asks.incrementAndGet();
    return leases.lease("key:test", 600, 0, 5, 100, 0).compose(g -> {
      granted.addAndGet(g.requests());
      return keepAsking(leases, until, granted, asks);
    });
  }

  static JsonObject record(String id) {
    return new JsonObject().put("id", id).put("status", "scanning").put("createdAt", Instant.now().toString())
        .put(ScanRecords.OWNER, "alice").put(ScanRecords.COORDINATOR_NODE, "node-a").put(ScanRecords.LAST_SEQ, 0L)
        .put("progress", new JsonObject().put("filesTotal", 1));
  }

  static ScanEvent event(long seq) {
    return new ScanEvent(seq, ScanEvent.Type.PROGRESS, new JsonObject().put("filesScanned", seq));
  }
}
