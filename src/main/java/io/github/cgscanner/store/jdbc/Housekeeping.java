package io.github.cgscanner.store.jdbc;

import static io.github.cgscanner.store.jdbc.Sql.args;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What keeps the database tidy and the workers known: retention (in batches, one worker at a time, under
 * a lock row that expires), heartbeats, and the cursor-signing secret every worker shares.
 */
final class Housekeeping {
  /** Scans deleted per transaction, and transactions per sweep: a sweep never holds the database long. */
  static final int BATCH = 50;
  private static final int BATCHES_PER_SWEEP = 20;
  private static final long LOCK_MS = 60_000;
  private static final Duration FORGET_WORKERS_AFTER = Duration.ofDays(1);
  private static final int EXPIRED_REVIEWS_PER_SWEEP = 5_000;

  private final Pool pool;
  private final Retention retention;
  private volatile byte[] cursorKey;

  Housekeeping(Pool pool, Retention retention) {
    this.pool = pool;
    this.retention = retention;
  }

  Future<Integer> sweep() {
    long now = System.currentTimeMillis();
    return pool.preparedQuery("UPDATE store_locks SET holder = ?, expires_at = ? WHERE name = 'retention' AND (expires_at < ? OR holder = ?)")
        .execute(args(retention.nodeId(), now + LOCK_MS, now, retention.nodeId()))
        .compose(rows -> rows.rowCount() == 1
            ? sweepBatches(now - retention.keep().toMillis(), 0, 0).compose(n -> dropExpiredReviews(now).map(n))
            : Future.succeededFuture(0))
        .compose(n -> pool.preparedQuery("UPDATE store_locks SET expires_at = 0 WHERE name = 'retention' AND holder = ?")
            .execute(args(retention.nodeId())).map(n))
        .compose(n -> pool.preparedQuery("DELETE FROM workers WHERE seen_at < ?").execute(args(now - FORGET_WORKERS_AFTER.toMillis())).map(n));
  }

  /** Expired review-cache rows, a bounded batch per pass (a lookup never serves them anyway). */
  private Future<Void> dropExpiredReviews(long now) {
    return pool.preparedQuery("DELETE FROM review_cache WHERE cache_key IN "
            + "(SELECT cache_key FROM review_cache WHERE expires_at <= ? LIMIT " + EXPIRED_REVIEWS_PER_SWEEP + ")")
        .execute(args(now)).mapEmpty();
  }

  private Future<Integer> sweepBatches(long cutoff, int batch, int deleted) {
    if (batch >= BATCHES_PER_SWEEP) return Future.succeededFuture(deleted);
    String keepLatest = retention.keepLatestPerProject()
        ? " AND NOT (s.status = 'completed' AND s.project IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scans t WHERE "
            + "t.project = s.project AND t.ref_name = s.ref_name AND t.status = 'completed' AND (t.created_at, t.id) > (s.created_at, s.id)))"
        : "";
    return pool.preparedQuery("SELECT s.id FROM scans s WHERE s.finished_at IS NOT NULL AND s.finished_at < ?" + keepLatest
            + " ORDER BY s.finished_at LIMIT ?")
        .execute(args(cutoff, BATCH))
        .compose(rows -> {
          List<String> ids = new java.util.ArrayList<>();
          for (Row row : rows) ids.add(row.getString(0));
          if (ids.isEmpty()) return Future.succeededFuture(deleted);
          return pool.withTransaction(c -> deleteScans(c, ids))
              .compose(v -> ids.size() < BATCH ? Future.succeededFuture(deleted + ids.size()) : sweepBatches(cutoff, batch + 1, deleted + ids.size()));
        });
  }

  static Future<Void> deleteScans(SqlClient c, List<String> ids) {
    String in = " WHERE scan_id IN (" + Sql.placeholders(ids.size()) + ")";
    Tuple t = Tuple.tuple();
    Sql.addAll(t, ids);
    return c.preparedQuery("DELETE FROM scan_tasks" + in).execute(t)
        .compose(v -> c.preparedQuery("DELETE FROM findings" + in).execute(t))
        .compose(v -> c.preparedQuery("DELETE FROM scan_events" + in).execute(t))
        .compose(v -> c.preparedQuery("DELETE FROM scans WHERE id IN (" + Sql.placeholders(ids.size()) + ")").execute(t))
        .mapEmpty();
  }

  Future<Void> heartbeat(String nodeId) {
    long now = System.currentTimeMillis();
    return pool.preparedQuery("UPDATE workers SET seen_at = ? WHERE node_id = ?").execute(args(now, nodeId))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : pool.preparedQuery("INSERT INTO workers (node_id, seen_at) VALUES (?, ?)").execute(args(nodeId, now)).<Void>mapEmpty()
                .recover(err -> Sql.isUniqueViolation(err) ? Future.succeededFuture() : Future.failedFuture(err)));
  }

  Future<Set<String>> liveNodes(Duration within) {
    return pool.preparedQuery("SELECT node_id FROM workers WHERE seen_at > ?").execute(args(System.currentTimeMillis() - within.toMillis()))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          for (Row row : rows) out.add(row.getString(0));
          return out;
        });
  }

  /** Created by the first worker that needs it; the others read that one. */
  Future<byte[]> cursorKey() {
    if (cursorKey != null) return Future.succeededFuture(cursorKey);
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return readSetting("cursor-key")
        .compose(found -> found != null ? Future.succeededFuture(found)
            : pool.preparedQuery("INSERT INTO store_settings (name, setting) VALUES ('cursor-key', ?)")
                .execute(args(HexFormat.of().formatHex(fresh)))
                .<String>map(v -> null)
                .recover(err -> Sql.isUniqueViolation(err) ? Future.succeededFuture() : Future.failedFuture(err))
                .compose(v -> readSetting("cursor-key")))
        .map(hex -> {
          cursorKey = HexFormat.of().parseHex(hex);
          return cursorKey;
        });
  }

  private Future<String> readSetting(String name) {
    return pool.preparedQuery("SELECT setting FROM store_settings WHERE name = ?").execute(args(name))
        .map((RowSet<Row> rows) -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }
}
