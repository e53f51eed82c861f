package io.github.cgscanner.store;

import io.vertx.core.Future;

/**
 * Validated model reviews of chunks, by a key that hashes everything the answer depends on (the masked
 * code of each part, endpoint, model, prompt version, instructions, local-rule hints, and the owner when
 * reviews are not shared). It holds findings, never code. Lookups and writes are asynchronous: callers
 * are event loops. A failed lookup is a miss, never a failed scan.
 *
 * <p>Implementations: {@link LocalReviewCache} (standalone), {@link ClusterReviewCache} (a Hazelcast
 * map shared by the cluster). A table of the database store fits the same two calls: one row per key
 * with the entry's JSON, its owner and its expiry, swept like finished scans.
 */
public interface ReviewCache {
  /** @return the review stored under {@code key} and not expired, or null */
  Future<CachedReview> get(String key);

  /** Stores (or refreshes) a review for the cache's time to live. */
  Future<Void> put(String key, CachedReview review);

  /** A cache that holds nothing: {@code cache.ttl} 0. */
  ReviewCache OFF = new ReviewCache() {
    @Override
    public Future<CachedReview> get(String key) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> put(String key, CachedReview review) {
      return Future.succeededFuture();
    }
  };
}
