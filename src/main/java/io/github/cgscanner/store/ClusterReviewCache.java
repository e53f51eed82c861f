package io.github.cgscanner.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;

/**
 * The review cache of a clustered worker: a Hazelcast map every worker reads and writes, so a review
 * made on one worker serves the scans of all. Each entry lives {@code cache.ttl}; the map's size is
 * bounded per member by its eviction configuration ({@link #MAP}, least recently used first, see
 * {@code cluster.HazelcastConfig}), with one backup so a worker leaving loses nothing.
 */
public final class ClusterReviewCache implements ReviewCache {
  public static final String MAP = "scanner.reviewCache";

  private final Vertx vertx;
  private final long ttlMs;

  public ClusterReviewCache(Vertx vertx, Duration ttl) {
    this.vertx = vertx;
    this.ttlMs = ttl.toMillis();
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  @Override
  public Future<CachedReview> get(String key) {
    return map().compose(m -> m.get(key)).map(CachedReview::fromJson);
  }

  @Override
  public Future<Void> put(String key, CachedReview review) {
    return map().compose(m -> m.put(key, review.toJson(), ttlMs));
  }
}
