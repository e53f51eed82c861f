package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalReviewCacheTest {
  static CachedReview review(String title) {
    return new CachedReview(new JsonArray().add(new JsonObject().put("title", title)), 1000, 50, 0, "alice");
  }

  @Test
  void entriesExpireAfterTheirTimeToLive() {
    AtomicLong now = new AtomicLong(1_000);
    LocalReviewCache cache = new LocalReviewCache(Duration.ofMinutes(1), 10, now::get);
    cache.put("k", review("a"));
    now.addAndGet(59_000);
    assertEquals("a", cache.get("k").result().findings().getJsonObject(0).getString("title"));
    now.addAndGet(1_000);
    assertNull(cache.get("k").result());
    assertEquals(0, cache.size(), "an expired entry leaves when read");
  }

  @Test
  void theLeastRecentlyUsedLeaveBeyondTheBound() {
    LocalReviewCache cache = new LocalReviewCache(Duration.ofDays(30), 2);
    cache.put("a", review("a"));
    cache.put("b", review("b"));
    cache.get("a");
    cache.put("c", review("c"));
    assertNotNull(cache.get("a").result());
    assertNull(cache.get("b").result());
    assertNotNull(cache.get("c").result());
  }

  @Test
  void whatACallerChangesIsNotWhatIsCached() {
    LocalReviewCache cache = new LocalReviewCache(Duration.ofDays(1), 10);
    CachedReview stored = review("a");
    cache.put("k", stored);
    stored.findings().getJsonObject(0).put("title", "changed");
    cache.get("k").result().findings().getJsonObject(0).put("title", "changed too");
    assertEquals("a", cache.get("k").result().findings().getJsonObject(0).getString("title"));
  }
}
