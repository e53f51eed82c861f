package io.github.cgscanner.store;

import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.security.SecureRandom;

/**
 * The {@code memory} store: Vert.x async maps, which are Hazelcast maps (one backup) on a clustered
 * worker and local maps on a standalone one. Nothing survives a restart of the whole cluster.
 *
 * <p>Bounded: running scans are bounded by admission ({@code scan.maxRunning + scan.maxQueued} per
 * worker); a finished scan is indexed in {@link #FINISHED_MAP} with its end time, and {@link #sweep()}
 * removes whole finished scans — record and every event — past {@code scan.retention}, and beyond
 * {@code store.maxScansInMemory} the oldest first. Entry TTLs are not used for this: they would expire
 * a scan's events one by one and leave logs with holes.
 */
public final class MemoryScanStore implements ScanStore {
  public static final String SCANS_MAP = "scanner.scans";
  public static final String EVENTS_MAP = "scanner.events";
  public static final String FINISHED_MAP = "scanner.finished";
  public static final String TASKS_MAP = "scanner.tasks";
  public static final String SETTINGS_MAP = "scanner.settings";

  private final Vertx vertx;
  private final Duration retention;
  private final int maxFinished;

  public MemoryScanStore(Vertx vertx, Duration retention, int maxFinished) {
    this.vertx = vertx;
    this.retention = retention;
    this.maxFinished = maxFinished;
  }

  private Future<AsyncMap<String, JsonObject>> map(String name) {
    return vertx.sharedData().getAsyncMap(name);
  }

  static String eventKey(String scanId, long seq) {
    return scanId + ":" + seq;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Future<Void> saveScan(JsonObject record) {
    Future<Void> saved = map(SCANS_MAP).compose(m -> m.put(record.getString("id"), record));
    if (!ScanRecords.isFinal(record)) return saved;
    JsonObject index = new JsonObject().put("finishedAt", System.currentTimeMillis()).put("lastSeq", ScanRecords.lastSeq(record));
    return saved.compose(v -> map(FINISHED_MAP)).compose(m -> m.put(record.getString("id"), index));
  }

  @Override
  public Future<JsonObject> scan(String id) {
    return map(SCANS_MAP).compose(m -> m.get(id));
  }

  /** Every record is read and filtered here: the memory store is bounded, so this stays small. */
  @Override
  public Future<ScanPage> listScans(ScanQuery q) {
    return map(SCANS_MAP).compose(AsyncMap::values).map(all -> {
      Comparator<JsonObject> newestFirst = Comparator.<JsonObject>comparingLong(s -> ScanRecords.millis(s, "createdAt", 0))
          .thenComparing(s -> s.getString("id")).reversed();
      List<JsonObject> matching = all.stream()
          .filter(s -> q.owner() == null || q.owner().equals(s.getString(ScanRecords.OWNER)))
          .filter(s -> q.project() == null || q.project().equals(s.getString("project")))
          .filter(s -> q.status() == null || q.status().equals(s.getString("status")))
          .filter(s -> q.after() == null || isAfter(s, q.after()))
          .sorted(newestFirst)
          .toList();
      List<JsonObject> page = matching.subList(0, Math.min(q.limit(), matching.size()));
      JsonObject last = page.isEmpty() ? null : page.get(page.size() - 1);
      return new ScanPage(page, matching.size() > q.limit()
          ? new ScanQuery.Position(ScanRecords.millis(last, "createdAt", 0), last.getString("id")) : null);
    });
  }

  private static boolean isAfter(JsonObject s, ScanQuery.Position p) {
    long created = ScanRecords.millis(s, "createdAt", 0);
    return created < p.createdAtMillis() || created == p.createdAtMillis() && s.getString("id").compareTo(p.id()) < 0;
  }

  @Override
  public Future<List<JsonObject>> unfinishedOrRecent(Duration recent) {
    return map(SCANS_MAP).compose(AsyncMap::values);
  }

  @Override
  public Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement) {
    replacement.put(ScanRecords.OWNER_VERSION, ScanRecords.ownerVersion(expected) + 1);
    return map(SCANS_MAP).compose(m -> m.replaceIfPresent(expected.getString("id"), expected, replacement))
        .compose(won -> won && ScanRecords.isFinal(replacement) ? saveScan(replacement).map(true) : Future.succeededFuture(won));
  }

  @Override
  public Future<Void> appendEvents(String scanId, List<ScanEvent> events) {
    return map(EVENTS_MAP).compose(m -> {
      List<Future<Void>> puts = new ArrayList<>(events.size());
      for (ScanEvent e : events) puts.add(m.put(eventKey(scanId, e.seq()), e.toJson()));
      return Future.all(puts).mapEmpty();
    });
  }

  @Override
  public Future<Void> appendEvents(String scanId, long ownerVersion, List<ScanEvent> events) {
    return map(SCANS_MAP).compose(m -> m.get(scanId)).compose(record -> record == null || ScanRecords.ownerVersion(record) == ownerVersion
        ? appendEvents(scanId, events) : Future.failedFuture(new FencedException(scanId, ownerVersion)));
  }

  @Override
  public Future<List<ScanEvent>> events(String scanId, long after, int max) {
    return map(EVENTS_MAP).compose(m -> {
      List<Future<JsonObject>> gets = new ArrayList<>(max);
      for (long seq = after + 1; seq <= after + max; seq++) gets.add(m.get(eventKey(scanId, seq)));
      return Future.all(gets).map(all -> {
        List<ScanEvent> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          JsonObject e = all.resultAt(i);
          if (e == null) break;
          out.add(ScanEvent.fromJson(e));
        }
        return out;
      });
    });
  }

  @Override
  public Future<FindingPage> findingsPage(String scanId, FindingQuery q) {
    return readLog(scanId, 0, new ArrayList<>()).map(events -> {
      List<JsonObject> page = new ArrayList<>();
      long last = 0;
      boolean more = false;
      for (ScanEvent e : events) {
        if (e.type() != ScanEvent.Type.FINDING || e.seq() <= q.afterSeq() || !matches(e.data(), q)) continue;
        if (q.limit() > 0 && page.size() == q.limit()) {
          more = true;
          break;
        }
        page.add(e.data());
        last = e.seq();
      }
      return new FindingPage(page, more ? last : 0);
    });
  }

  private static boolean matches(JsonObject f, FindingQuery q) {
    return (q.severities().isEmpty() || q.severities().contains(f.getString("severity")))
        && (q.states().isEmpty() || q.states().contains(f.getString("state", "open")))
        && (q.baselineStates().isEmpty() || q.baselineStates().contains(f.getString("baselineState")));
  }

  private Future<List<ScanEvent>> readLog(String scanId, long after, List<ScanEvent> acc) {
    return events(scanId, after, PAGE).compose(page -> {
      acc.addAll(page);
      return page.size() < PAGE ? Future.succeededFuture(acc) : readLog(scanId, page.get(page.size() - 1).seq(), acc);
    });
  }

  @Override
  public Future<Void> deleteScan(String scanId, long lastSeq) {
    return map(EVENTS_MAP)
        .compose(m -> {
          List<Future<JsonObject>> removals = new ArrayList<>();
          for (long seq = 1; seq <= lastSeq; seq++) removals.add(m.remove(eventKey(scanId, seq)));
          return Future.all(removals);
        })
        .compose(v -> map(SCANS_MAP)).compose(m -> m.remove(scanId))
        .compose(v -> map(FINISHED_MAP)).compose(m -> m.remove(scanId))
        .compose(v -> deleteTasks(scanId))
        .mapEmpty();
  }

  @Override
  public Future<Integer> sweep() {
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    return map(FINISHED_MAP).compose(AsyncMap::entries).compose(index -> {
      List<Map.Entry<String, JsonObject>> byAge = new ArrayList<>(index.entrySet());
      byAge.sort(Comparator.comparingLong(e -> e.getValue().getLong("finishedAt", 0L)));
      int excess = Math.max(0, byAge.size() - maxFinished);
      List<Future<Void>> deletions = new ArrayList<>();
      for (int i = 0; i < byAge.size(); i++) {
        var e = byAge.get(i);
        if (i < excess || e.getValue().getLong("finishedAt", 0L) < cutoff) {
          deletions.add(deleteScan(e.getKey(), e.getValue().getLong("lastSeq", 0L)));
        }
      }
      return Future.all(deletions).map(deletions.size());
    });
  }

  /** Nothing outlives its worker here: there is nobody to tell. */
  @Override
  public Future<Void> heartbeat(String nodeId) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> leave(String nodeId) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Set<String>> liveNodes(Duration within) {
    return Future.succeededFuture(Set.of());
  }

  /** In the cluster's map, so that a cursor given by one worker is good on every other. */
  @Override
  public Future<byte[]> cursorKey() {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return vertx.sharedData().<String, String>getAsyncMap(SETTINGS_MAP)
        .compose(m -> m.putIfAbsent("cursor-key", HexFormat.of().formatHex(fresh))
            .map(existing -> existing == null ? fresh : HexFormat.of().parseHex(existing)));
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> saveTasks(String scanId, long ownerVersion, List<StoredTask> tasks) {
    return map(TASKS_MAP).compose(m -> m.get(scanId).compose(existing -> {
      JsonObject all = existing == null ? new JsonObject() : existing.copy();
      for (StoredTask t : tasks) all.put(t.taskId(), taskJson(t));
      return m.put(scanId, all);
    }));
  }

  @Override
  public Future<Void> updateTasks(String scanId, long ownerVersion, List<StoredTask> tasks) {
    return map(TASKS_MAP).compose(m -> m.get(scanId).compose(existing -> {
      if (existing == null) return Future.succeededFuture();
      JsonObject all = existing.copy();
      for (StoredTask t : tasks) {
        JsonObject old = all.getJsonObject(t.taskId());
        if (old != null) all.put(t.taskId(), taskJson(new StoredTask(t.taskId(), t.state(), t.attempts(),
            t.payload() != null ? t.payload() : old.getJsonObject("payload"), t.usage())));
      }
      return m.put(scanId, all);
    }));
  }

  private static JsonObject taskJson(StoredTask t) {
    return new JsonObject().put("state", t.state()).put("attempts", t.attempts()).put("payload", t.payload()).put("usage", t.usage());
  }

  @Override
  public Future<List<StoredTask>> tasks(String scanId) {
    return map(TASKS_MAP).compose(m -> m.get(scanId)).map(all -> {
      List<StoredTask> out = new ArrayList<>();
      if (all == null) return out;
      for (String id : new java.util.TreeSet<>(all.fieldNames())) {
        JsonObject t = all.getJsonObject(id);
        out.add(new StoredTask(id, t.getString("state"), t.getInteger("attempts"), t.getJsonObject("payload"), t.getJsonObject("usage")));
      }
      return out;
    });
  }

  @Override
  public Future<Void> deleteTasks(String scanId) {
    return map(TASKS_MAP).compose(m -> m.remove(scanId)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
