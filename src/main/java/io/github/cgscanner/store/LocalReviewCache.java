package io.github.cgscanner.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The review cache of a standalone worker: least recently used first out beyond {@code maxEntries},
 * expired entries dropped when read. Vert.x's local async map would do the TTL with one timer per entry
 * and has no size bound, hence this map. Entries are stored as JSON, like a shared map stores them, so a
 * caller can never change what is cached through what it was given.
 */
public final class LocalReviewCache implements ReviewCache {
  private record Entry(JsonObject review, long expiresAt) {}

  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, Entry> entries;

  public LocalReviewCache(Duration ttl, int maxEntries) {
    this(ttl, maxEntries, System::currentTimeMillis);
  }

  LocalReviewCache(Duration ttl, int maxEntries, LongSupplier clock) {
    this.ttlMs = ttl.toMillis();
    this.clock = clock;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public synchronized Future<CachedReview> get(String key) {
    Entry e = entries.get(key);
    if (e == null) return Future.succeededFuture();
    if (e.expiresAt() <= clock.getAsLong()) {
      entries.remove(key);
      return Future.succeededFuture();
    }
    return Future.succeededFuture(CachedReview.fromJson(e.review().copy()));
  }

  @Override
  public synchronized Future<Void> put(String key, CachedReview review) {
    entries.put(key, new Entry(review.toJson().copy(), clock.getAsLong() + ttlMs));
    return Future.succeededFuture();
  }

  synchronized int size() {
    return entries.size();
  }
}
