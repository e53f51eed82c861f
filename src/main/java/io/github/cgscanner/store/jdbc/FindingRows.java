package io.github.cgscanner.store.jdbc;

import static io.github.cgscanner.store.jdbc.Sql.args;

import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.FindingPage;
import io.github.cgscanner.store.FindingQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code findings} table: one row per finding event, what finding lists filter and page on. */
final class FindingRows {
  private final Pool pool;

  FindingRows(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insert(SqlClient c, String scanId, List<ScanEvent> events) {
    List<Tuple> rows = new ArrayList<>();
    for (ScanEvent e : events) {
      if (e.type() != ScanEvent.Type.FINDING) continue;
      JsonObject f = e.data();
      rows.add(args(scanId, e.seq(), f.getString("id", ""), f.getString("severity", "info"), f.getString("state", "open"),
          f.getString("baselineState")));
    }
    if (rows.isEmpty()) return Future.succeededFuture();
    return c.preparedQuery("INSERT INTO findings (scan_id, seq, finding_id, severity, state, baseline_state) VALUES (?, ?, ?, ?, ?, ?)")
        .executeBatch(rows).mapEmpty();
  }

  Future<FindingPage> page(String scanId, FindingQuery q) {
    StringBuilder sql = new StringBuilder("SELECT f.seq, e.data FROM findings f JOIN scan_events e ON e.scan_id = f.scan_id "
        + "AND e.seq = f.seq WHERE f.scan_id = ? AND f.seq > ?");
    Tuple t = args(scanId, q.afterSeq());
    in(sql, t, "f.severity", q.severities());
    in(sql, t, "f.state", q.states());
    in(sql, t, "f.baseline_state", q.baselineStates());
    sql.append(" ORDER BY f.seq");
    if (q.limit() > 0) {
      sql.append(" LIMIT ?");
      t.addValue(q.limit() + 1);
    }
    return pool.preparedQuery(sql.toString()).execute(t).map(rows -> {
      List<JsonObject> page = new ArrayList<>();
      long last = 0;
      for (Row row : rows) {
        if (q.limit() > 0 && page.size() == q.limit()) break;
        last = row.getLong(0);
        page.add(new JsonObject(row.getString(1)));
      }
      return new FindingPage(page, q.limit() > 0 && rows.size() > q.limit() ? last : 0);
    });
  }

  private static void in(StringBuilder sql, Tuple t, String column, Set<String> values) {
    if (values.isEmpty()) return;
    sql.append(" AND ").append(column).append(" IN (").append(Sql.placeholders(values.size())).append(")");
    Sql.addAll(t, values);
  }
}
