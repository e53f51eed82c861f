package io.github.cgscanner.store.jdbc;

import static io.github.cgscanner.store.jdbc.Sql.args;

import io.github.cgscanner.store.CachedReview;
import io.github.cgscanner.store.ReviewCache;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The review cache as a table of the database store: it survives restarts of any or every worker, a
 * {@code scan} run reuses what the last run on the same data directory paid for, and every worker on one
 * PostgreSQL shares it. Rows are bounded by {@code cache.ttl}: an expired row is never served, and the
 * store's retention pass deletes it. A lookup that fails is a miss, as with every cache.
 *
 * <p>A review being written is served from memory until its row is in, so a scan that starts while the
 * last one's writes are still queued finds them; {@link #drain()} lets a process about to exit keep
 * what it paid for.
 */
public final class JdbcReviewCache implements ReviewCache {
  private final Pool pool;
  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, JsonObject> writing = new ConcurrentHashMap<>();
  private final Set<Future<Void>> writes = ConcurrentHashMap.newKeySet();

  public JdbcReviewCache(Database database, Duration ttl) {
    this(database.pool(), ttl, System::currentTimeMillis);
  }

  JdbcReviewCache(Pool pool, Duration ttl, LongSupplier clock) {
    this.pool = pool;
    this.ttlMs = ttl.toMillis();
    this.clock = clock;
  }

  @Override
  public Future<CachedReview> get(String key) {
    JsonObject queued = writing.get(key);
    if (queued != null) return Future.succeededFuture(CachedReview.fromJson(queued.copy()));
    return pool.preparedQuery("SELECT entry FROM review_cache WHERE cache_key = ? AND expires_at > ?")
        .execute(args(rowKey(key), clock.getAsLong()))
        .map(rows -> {
          RowIterator<Row> it = rows.iterator();
          return it.hasNext() ? decode(it.next().getString(0)) : null;
        })
        .otherwise((CachedReview) null);
  }

  @Override
  public Future<Void> put(String key, CachedReview review) {
    JsonObject json = review.toJson().copy();
    writing.put(key, json);
    Future<Void> write = write(key, review);
    writes.add(write);
    return write.onComplete(ar -> {
      writing.remove(key, json);
      writes.remove(write);
    });
  }

  /** @return a future that completes once every write begun so far has ended, however it ended */
  public Future<Void> drain() {
    return Future.join(List.copyOf(writes)).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> write(String key, CachedReview review) {
    long now = clock.getAsLong();
    String rowKey = rowKey(key);
    String entry = review.toJson().encode();
    // No MERGE/ON CONFLICT that both engines share: update, else insert; a worker that inserted the same
    // key in between stored an answer to the same question, so its row stands.
    return pool.preparedQuery("UPDATE review_cache SET entry = ?, owner = ?, stored_at = ?, expires_at = ? WHERE cache_key = ?")
        .execute(args(entry, review.owner(), now, now + ttlMs, rowKey))
        .compose(rows -> rows.rowCount() > 0 ? Future.<Void>succeededFuture()
            : pool.preparedQuery("INSERT INTO review_cache (cache_key, owner, entry, stored_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .execute(args(rowKey, review.owner(), entry, now, now + ttlMs)).<Void>mapEmpty()
                .recover(err -> Sql.isUniqueViolation(err) ? Future.succeededFuture() : Future.failedFuture(err)));
  }

  /** Callers' keys are of any length (a scope, a kind and a hash): the row is keyed by their SHA-256. */
  static String rowKey(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CachedReview decode(String entry) {
    try {
      return CachedReview.fromJson(new JsonObject(entry));
    } catch (DecodeException e) {
      return null;
    }
  }
}
