package io.github.cgscanner.store.jdbc;

import static io.github.cgscanner.store.jdbc.Sql.args;

import io.github.cgscanner.store.FencedException;
import io.github.cgscanner.store.StoredTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The prepared tasks of running scans. Every write first locks the scan's row and checks its owner
 * version, so a coordinator that lost the scan to a survivor cannot write its tasks any more.
 */
final class TaskRows {
  private final Pool pool;

  TaskRows(Pool pool) {
    this.pool = pool;
  }

  Future<Void> save(String scanId, long ownerVersion, List<StoredTask> tasks) {
    if (tasks.isEmpty()) return Future.succeededFuture();
    List<Tuple> rows = new ArrayList<>(tasks.size());
    for (StoredTask t : tasks) {
      JsonObject u = usage(t);
      rows.add(args(scanId, t.taskId(), t.state(), t.attempts(), t.payload().encode(), u.getLong("requests", 0L),
          u.getLong("promptTokens", 0L), u.getLong("completionTokens", 0L), u.getLong("cachedTokens", 0L)));
    }
    return pool.withTransaction(c -> fenced(c, scanId, ownerVersion)
        .compose(v -> c.preparedQuery("INSERT INTO scan_tasks (scan_id, task_id, state, attempts, payload, requests, prompt_tokens, "
            + "completion_tokens, cached_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").executeBatch(rows))
        .mapEmpty());
  }

  Future<Void> update(String scanId, long ownerVersion, List<StoredTask> tasks) {
    if (tasks.isEmpty()) return Future.succeededFuture();
    List<Tuple> rows = new ArrayList<>(tasks.size());
    for (StoredTask t : tasks) {
      JsonObject u = usage(t);
      rows.add(args(t.state(), t.attempts(), u.getLong("requests", 0L), u.getLong("promptTokens", 0L),
          u.getLong("completionTokens", 0L), u.getLong("cachedTokens", 0L), t.payload() == null ? null : t.payload().encode(),
          scanId, t.taskId()));
    }
    return pool.withTransaction(c -> fenced(c, scanId, ownerVersion)
        .compose(v -> c.preparedQuery("UPDATE scan_tasks SET state = ?, attempts = ?, requests = ?, prompt_tokens = ?, "
            + "completion_tokens = ?, cached_tokens = ?, payload = COALESCE(?, payload) WHERE scan_id = ? AND task_id = ?").executeBatch(rows))
        .mapEmpty());
  }

  private static JsonObject usage(StoredTask t) {
    return t.usage() == null ? new JsonObject() : t.usage();
  }

  /** Locks the scan's row until the transaction ends, so a take-over waits for this write or fences it. */
  static Future<Void> fenced(SqlConnection c, String scanId, long ownerVersion) {
    return c.preparedQuery("SELECT owner_version FROM scans WHERE id = ? FOR UPDATE").execute(args(scanId))
        .compose(rows -> {
          // No row yet is not a take-over: the record is being written by the same coordinator.
          if (rows.size() == 0) return Future.failedFuture(new IllegalStateException("scan " + scanId + " is not stored yet"));
          long stored = rows.iterator().next().getLong(0);
          return stored == ownerVersion ? Future.succeededFuture() : Future.failedFuture(new FencedException(scanId, ownerVersion));
        });
  }

  Future<List<StoredTask>> of(String scanId) {
    return pool.preparedQuery("SELECT task_id, state, attempts, payload, requests, prompt_tokens, completion_tokens, cached_tokens "
            + "FROM scan_tasks WHERE scan_id = ? ORDER BY task_id")
        .execute(args(scanId))
        .map(rows -> {
          List<StoredTask> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new StoredTask(r.getString(0), r.getString(1), r.getInteger(2), new JsonObject(r.getString(3)),
                new JsonObject().put("requests", r.getLong(4)).put("promptTokens", r.getLong(5))
                    .put("completionTokens", r.getLong(6)).put("cachedTokens", r.getLong(7))));
          }
          return out;
        });
  }
}
