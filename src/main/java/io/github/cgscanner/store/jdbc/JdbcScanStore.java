package io.github.cgscanner.store.jdbc;

import static io.github.cgscanner.store.jdbc.Sql.args;

import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.FencedException;
import io.github.cgscanner.store.FindingPage;
import io.github.cgscanner.store.FindingQuery;
import io.github.cgscanner.store.ScanPage;
import io.github.cgscanner.store.ScanQuery;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.StoredTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The store on a SQL database, embedded H2 or PostgreSQL: the same statements for both (see the shared
 * migration), every value bound as a parameter. A scan's events and the index rows of its findings are
 * written in one transaction, so a finding is listed exactly when its event is stored.
 */
public final class JdbcScanStore implements ScanStore {
  private static final String SCAN_COLUMNS =
      "id, owner, project, ref_name, status, created_at, finished_at, coordinator_node, owner_version, last_seq, record";

  private final Database db;
  private final Pool pool;
  private final FindingRows findings;
  private final Housekeeping housekeeping;
  private final TaskRows tasks;
  private final EventNotices notices;

  public JdbcScanStore(Database db, Retention retention) {
    this(db, retention, EventNotices.NONE);
  }

  /** @param notices announces stored events to workers that share the database without an event bus */
  public JdbcScanStore(Database db, Retention retention, EventNotices notices) {
    this.db = db;
    this.notices = notices;
    this.pool = db.pool();
    this.findings = new FindingRows(pool);
    this.housekeeping = new Housekeeping(pool, retention);
    this.tasks = new TaskRows(pool);
  }

  public Database database() {
    return db;
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public Future<Void> saveScan(JsonObject record) {
    String id = record.getString("id");
    long version = ScanRecords.ownerVersion(record);
    return pool.withTransaction(c -> update(c, record, "WHERE id = ? AND owner_version = ?", args(id, version))
        .compose(rows -> rows == 1 ? Future.<Void>succeededFuture() : insert(c, record)))
        .recover(err -> Future.failedFuture(Sql.isUniqueViolation(err) ? new FencedException(id, version) : err));
  }

  private Future<Integer> update(SqlClient c, JsonObject r, String where, Tuple whereArgs) {
    Tuple t = args(r.getString(ScanRecords.OWNER), r.getString("project"), ref(r), r.getString("status"), finishedAt(r),
        r.getString(ScanRecords.COORDINATOR_NODE), ScanRecords.ownerVersion(r), ScanRecords.lastSeq(r), r.encode());
    for (int i = 0; i < whereArgs.size(); i++) t.addValue(whereArgs.getValue(i));
    return c.preparedQuery("UPDATE scans SET owner = ?, project = ?, ref_name = ?, status = ?, finished_at = ?, "
        + "coordinator_node = ?, owner_version = ?, last_seq = ?, record = ? " + where).execute(t).map(RowSet::rowCount);
  }

  private Future<Void> insert(SqlClient c, JsonObject r) {
    return c.preparedQuery("INSERT INTO scans (" + SCAN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(args(r.getString("id"), r.getString(ScanRecords.OWNER), r.getString("project"), ref(r), r.getString("status"),
            ScanRecords.millis(r, "createdAt", System.currentTimeMillis()), finishedAt(r), r.getString(ScanRecords.COORDINATOR_NODE),
            ScanRecords.ownerVersion(r), ScanRecords.lastSeq(r), r.encode()))
        .mapEmpty();
  }

  private static String ref(JsonObject r) {
    String ref = r.getString(ScanRecords.REF);
    return ref == null ? "" : ref;
  }

  private static Long finishedAt(JsonObject r) {
    return ScanRecords.isFinal(r) ? ScanRecords.millis(r, "finishedAt", System.currentTimeMillis()) : null;
  }

  @Override
  public Future<JsonObject> scan(String id) {
    return pool.preparedQuery("SELECT record FROM scans WHERE id = ?").execute(args(id))
        .map(rows -> rows.size() == 0 ? null : new JsonObject(rows.iterator().next().getString(0)));
  }

  @Override
  public Future<ScanPage> listScans(ScanQuery q) {
    StringBuilder sql = new StringBuilder("SELECT record, created_at, id FROM scans WHERE 1 = 1");
    Tuple t = Tuple.tuple();
    if (q.owner() != null) {
      sql.append(" AND owner = ?");
      t.addValue(q.owner());
    }
    if (q.project() != null) {
      sql.append(" AND project = ?");
      t.addValue(q.project());
    }
    if (q.status() != null) {
      sql.append(" AND status = ?");
      t.addValue(q.status());
    }
    if (q.after() != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      t.addValue(q.after().createdAtMillis()).addValue(q.after().id());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    t.addValue(q.limit() + 1);
    return pool.preparedQuery(sql.toString()).execute(t).map(rows -> {
      List<JsonObject> page = new ArrayList<>();
      ScanQuery.Position next = null;
      for (Row row : rows) {
        if (page.size() == q.limit()) break;
        page.add(new JsonObject(row.getString(0)));
        next = new ScanQuery.Position(row.getLong(1), row.getString(2));
      }
      return new ScanPage(page, rows.size() > q.limit() ? next : null);
    });
  }

  @Override
  public Future<List<JsonObject>> unfinishedOrRecent(Duration recent) {
    return pool.preparedQuery("SELECT record FROM scans WHERE finished_at IS NULL OR finished_at > ?")
        .execute(args(System.currentTimeMillis() - recent.toMillis()))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) out.add(new JsonObject(row.getString(0)));
          return out;
        });
  }

  @Override
  public Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement) {
    long version = ScanRecords.ownerVersion(expected);
    replacement.put(ScanRecords.OWNER_VERSION, version + 1);
    return pool.withTransaction(c -> update(c, replacement, "WHERE id = ? AND owner_version = ? AND status = ? AND last_seq = ?",
        args(expected.getString("id"), version, expected.getString("status"), ScanRecords.lastSeq(expected))))
        .map(rows -> rows == 1);
  }

  @Override
  public Future<Void> appendEvents(String scanId, List<ScanEvent> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    return pool.withTransaction(c -> insertEvents(c, scanId, events))
        // Written already (a retry after an answer that was lost): only what is missing goes in.
        .recover(err -> Sql.isUniqueViolation(err)
            ? pool.withTransaction(c -> missing(c, scanId, events).compose(rest -> insertEvents(c, scanId, rest)))
            : Future.failedFuture(err));
  }

  @Override
  public Future<Void> appendEvents(String scanId, long ownerVersion, List<ScanEvent> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    return pool.withTransaction(c -> TaskRows.fenced(c, scanId, ownerVersion).compose(v -> insertEvents(c, scanId, events)))
        .recover(err -> Sql.isUniqueViolation(err)
            ? pool.withTransaction(c -> TaskRows.fenced(c, scanId, ownerVersion)
                .compose(v -> missing(c, scanId, events)).compose(rest -> insertEvents(c, scanId, rest)))
            : Future.failedFuture(err));
  }

  private Future<Void> insertEvents(SqlClient c, String scanId, List<ScanEvent> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    List<Tuple> rows = new ArrayList<>(events.size());
    for (ScanEvent e : events) rows.add(args(scanId, e.seq(), e.type().wire(), e.data().encode()));
    return c.preparedQuery("INSERT INTO scan_events (scan_id, seq, type, data) VALUES (?, ?, ?, ?)").executeBatch(rows)
        .compose(v -> findings.insert(c, scanId, events))
        .compose(v -> notices.announce(c, scanId, events.stream().mapToLong(ScanEvent::seq).max().orElse(0)));
  }

  private Future<List<ScanEvent>> missing(SqlClient c, String scanId, List<ScanEvent> events) {
    long min = events.stream().mapToLong(ScanEvent::seq).min().orElse(0);
    long max = events.stream().mapToLong(ScanEvent::seq).max().orElse(0);
    return c.preparedQuery("SELECT seq FROM scan_events WHERE scan_id = ? AND seq BETWEEN ? AND ?").execute(args(scanId, min, max))
        .map(rows -> {
          Set<Long> present = new HashSet<>();
          for (Row row : rows) present.add(row.getLong(0));
          return events.stream().filter(e -> !present.contains(e.seq())).toList();
        });
  }

  @Override
  public Future<List<ScanEvent>> events(String scanId, long after, int max) {
    return pool.preparedQuery("SELECT seq, type, data FROM scan_events WHERE scan_id = ? AND seq > ? AND seq <= ? ORDER BY seq")
        .execute(args(scanId, after, after + max))
        .map(rows -> {
          List<ScanEvent> out = new ArrayList<>(rows.size());
          long expected = after + 1;
          for (Row row : rows) {
            long seq = row.getLong(0);
            if (seq != expected) break;
            out.add(new ScanEvent(seq, ScanEvent.Type.parse(row.getString(1)), new JsonObject(row.getString(2))));
            expected++;
          }
          return out;
        });
  }

  @Override
  public Future<FindingPage> findingsPage(String scanId, FindingQuery query) {
    return findings.page(scanId, query);
  }

  @Override
  public Future<Void> deleteScan(String scanId, long lastSeq) {
    return pool.withTransaction(c -> Housekeeping.deleteScans(c, List.of(scanId)));
  }

  @Override
  public Future<Integer> sweep() {
    return housekeeping.sweep();
  }

  @Override
  public Future<Void> heartbeat(String nodeId) {
    return housekeeping.heartbeat(nodeId);
  }

  @Override
  public Future<Void> leave(String nodeId) {
    return pool.preparedQuery("DELETE FROM workers WHERE node_id = ?").execute(args(nodeId)).mapEmpty();
  }

  @Override
  public Future<Set<String>> liveNodes(Duration within) {
    return housekeeping.liveNodes(within);
  }

  @Override
  public Future<byte[]> cursorKey() {
    return housekeeping.cursorKey();
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  @Override
  public Future<Void> saveTasks(String scanId, long ownerVersion, List<StoredTask> list) {
    return tasks.save(scanId, ownerVersion, list);
  }

  @Override
  public Future<Void> updateTasks(String scanId, long ownerVersion, List<StoredTask> list) {
    return tasks.update(scanId, ownerVersion, list);
  }

  @Override
  public Future<List<StoredTask>> tasks(String scanId) {
    return tasks.of(scanId);
  }

  @Override
  public Future<Void> deleteTasks(String scanId) {
    return pool.preparedQuery("DELETE FROM scan_tasks WHERE scan_id = ?").execute(args(scanId)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return db.closeAsync();
  }
}
