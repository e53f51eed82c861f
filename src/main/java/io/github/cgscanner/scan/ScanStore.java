package io.github.cgscanner.scan;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Where scans and their event logs live. Vert.x async maps are Hazelcast maps (with backups) on a
 * clustered node and local maps on a standalone one, so the same code serves both. The coordinator
 * of a scan is the only writer; any node reads.
 *
 * <p>Scan records are stored in their internal form (the API Scan plus {@code owner} and
 * {@code coordinatorNode}); {@link #publicView(JsonObject)} strips the internal fields.
 */
public final class ScanStore {
  public static final String SCANS_MAP = "scanner.scans";
  public static final String EVENTS_MAP = "scanner.events";

  private final Vertx vertx;

  public ScanStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, JsonObject>> scans() {
    return vertx.sharedData().getAsyncMap(SCANS_MAP);
  }

  private Future<AsyncMap<String, JsonObject>> events() {
    return vertx.sharedData().getAsyncMap(EVENTS_MAP);
  }

  public static String eventKey(String scanId, long seq) {
    return scanId + ":" + seq;
  }

  public Future<Void> putScan(JsonObject internal) {
    return scans().compose(m -> m.put(internal.getString("id"), internal));
  }

  public Future<JsonObject> getScan(String id) {
    return scans().compose(m -> m.get(id));
  }

  public Future<List<JsonObject>> allScans() {
    return scans().compose(AsyncMap::values);
  }

  /** Replaces the stored record only if it still names {@code expectedCoordinator}: the atomic take-over of a lost scan. */
  public Future<Boolean> replaceIfCoordinator(JsonObject current, JsonObject replacement) {
    return scans().compose(m -> m.replaceIfPresent(current.getString("id"), current, replacement));
  }

  public Future<Void> putEvent(String scanId, long seq, JsonObject event) {
    return events().compose(m -> m.put(eventKey(scanId, seq), event));
  }

  /** Events with sequence numbers {@code after+1 … upTo}, in order; stops early at the first gap. */
  public Future<List<JsonObject>> events(String scanId, long after, long upTo) {
    return events().compose(m -> {
      List<Future<JsonObject>> gets = new ArrayList<>();
      for (long seq = after + 1; seq <= upTo; seq++) {
        gets.add(m.get(eventKey(scanId, seq)));
      }
      return Future.all(gets).map(all -> {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          JsonObject e = all.resultAt(i);
          if (e == null) break;
          out.add(e);
        }
        return out;
      });
    });
  }

  /** Every stored event after {@code after}, read in batches until the first missing sequence number. */
  public Future<List<JsonObject>> eventsFrom(String scanId, long after) {
    return eventsFrom(scanId, after, new ArrayList<>());
  }

  private Future<List<JsonObject>> eventsFrom(String scanId, long after, List<JsonObject> acc) {
    int batch = 256;
    return events(scanId, after, after + batch).compose(got -> {
      acc.addAll(got);
      return got.size() < batch ? Future.succeededFuture(acc) : eventsFrom(scanId, after + batch, acc);
    });
  }

  public Future<Void> remove(String scanId, long lastSeq) {
    return events()
        .compose(m -> {
          List<Future<JsonObject>> removals = new ArrayList<>();
          for (long seq = 1; seq <= lastSeq; seq++) {
            removals.add(m.remove(eventKey(scanId, seq)));
          }
          return Future.all(removals);
        })
        .compose(v -> scans())
        .compose(m -> m.remove(scanId))
        .mapEmpty();
  }

  public static JsonObject publicView(JsonObject internal) {
    JsonObject copy = internal.copy();
    copy.remove("owner");
    copy.remove("lastSeq");
    copy.remove("coordinatorNode");
    return copy;
  }
}
