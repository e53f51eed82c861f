package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.JdbcReviewCache;
import io.github.cgscanner.store.jdbc.JdbcScanStore;
import io.github.cgscanner.store.jdbc.Retention;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review cache as a table, on both engines: served until it expires, gone after retention, kept across a reopen. */
class JdbcReviewCacheTest {
  @TempDir Path tmp;
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static CachedReview review(String title, String owner) {
    return new CachedReview(new JsonArray().add(new JsonObject().put("path", "a.py").put("startLine", 3).put("title", title)),
        1200, 80, 1024, owner);
  }

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "h2");
    exercise(H2ScanStoreTest.target(dir));
    // A second open of the same file (the next run of `scan`) still has what the first one paid for.
    Database again = await(Database.open(vertx, H2ScanStoreTest.target(dir)));
    try {
      assertEquals("kept", title(await(new JdbcReviewCache(again, Duration.ofDays(1)).get("verdict:owner:" + "a".repeat(64) + ":" + "b".repeat(64) + "'; DROP TABLE review_cache; --"))));
    } finally {
      again.close();
    }
  }

  @Test
  void onPostgreSql() throws Exception {
    exercise(PostgresScanStoreTest.target(PostgresServer.shared().newDatabase("review_cache")));
  }

  private void exercise(Database.Target target) throws Exception {
    Database db = await(Database.open(vertx, target));
    try {
      ReviewCache cache = new JdbcReviewCache(db, Duration.ofDays(1));
      assertNull(await(cache.get("absent")));
      // Callers' keys: a scope, a kind and a hash — longer than any fixed column would hold.
      String hostile = "verdict:owner:" + "a".repeat(64) + ":" + "b".repeat(64) + "'; DROP TABLE review_cache; --";
      await(cache.put(hostile, review("first", "owner-a")));
      await(cache.put(hostile, review("kept", "owner-a")));
      CachedReview hit = await(cache.get(hostile));
      assertNotNull(hit);
      assertEquals("kept", title(hit));
      assertEquals(1200, hit.promptTokens());
      assertEquals("owner-a", hit.owner());

      // A review still being written is found by the next lookup, and drain() waits for its row.
      JdbcReviewCache writer = new JdbcReviewCache(db, Duration.ofDays(1));
      Future<Void> write = writer.put("fresh", review("fresh", null));
      assertEquals("fresh", title(await(writer.get("fresh"))));
      await(writer.drain());
      assertTrue(write.isComplete());
      assertEquals("fresh", title(await(new JdbcReviewCache(db, Duration.ofDays(1)).get("fresh"))));

      ReviewCache shortLived = new JdbcReviewCache(db, Duration.ofMillis(200));
      await(shortLived.put("brief", review("brief", null)));
      assertNotNull(await(shortLived.get("brief")));
      Thread.sleep(400);
      assertNull(await(shortLived.get("brief")), "an expired review is never served");
      await(new JdbcScanStore(db, new Retention(Duration.ofHours(1), true, "n")).sweep());
      long left = await(db.pool().query("SELECT COUNT(*) FROM review_cache").execute()).iterator().next().getLong(0);
      assertEquals(2, left, "retention deleted the expired row and kept the live ones");
    } finally {
      db.close();
    }
  }

  private static String title(CachedReview r) {
    return r.findings().getJsonObject(0).getString("title");
  }
}
