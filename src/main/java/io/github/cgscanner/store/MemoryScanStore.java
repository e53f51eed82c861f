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
import java.util.Map;

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

  @Override
  public Future<List<JsonObject>> scans() {
    return map(SCANS_MAP).compose(AsyncMap::values);
  }

  @Override
  public Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement) {
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
  public Future<Void> deleteScan(String scanId, long lastSeq) {
    return map(EVENTS_MAP)
        .compose(m -> {
          List<Future<JsonObject>> removals = new ArrayList<>();
          for (long seq = 1; seq <= lastSeq; seq++) removals.add(m.remove(eventKey(scanId, seq)));
          return Future.all(removals);
        })
        .compose(v -> map(SCANS_MAP)).compose(m -> m.remove(scanId))
        .compose(v -> map(FINISHED_MAP)).compose(m -> m.remove(scanId))
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
}
