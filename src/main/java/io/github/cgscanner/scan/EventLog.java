package io.github.cgscanner.scan;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a scan's events and saves its record, in order. Each event is written to the store before it
 * is published on {@link #address(String)}, so a reader that sees event n live can always read 1…n-1
 * from the store; writes of one scan are chained so they land in sequence order.
 */
final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  private final Vertx vertx;
  private final ScanStore store;
  private final Map<String, Future<Void>> chains = new HashMap<>();

  EventLog(Vertx vertx, ScanStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  static String address(String scanId) {
    return "scanner.scan." + scanId + ".events";
  }

  void append(ScanState scan, String type, JsonObject data) {
    long seq = ++scan.seq;
    JsonObject event = new JsonObject().put("seq", seq).put("type", type).put("data", data);
    chain(scan.id, () -> store.putEvent(scan.id, seq, event)
        .onSuccess(v -> vertx.eventBus().publish(address(scan.id), event)));
  }

  void save(ScanState scan) {
    save(scan, 0);
  }

  /** @param eventsToCome events about to be appended that the saved record should already count (the final {@code status} and {@code done}) */
  void save(ScanState scan, int eventsToCome) {
    JsonObject snapshot = scan.toInternalJson();
    snapshot.put("lastSeq", scan.seq + eventsToCome);
    chain(scan.id, () -> store.putScan(snapshot));
  }

  /** Completes when everything appended so far is written; forgets the scan's chain afterwards. */
  Future<Void> settle(String scanId) {
    Future<Void> last = chains.getOrDefault(scanId, Future.succeededFuture());
    return last.onComplete(ar -> {
      if (chains.get(scanId) == last) chains.remove(scanId);
    });
  }

  private void chain(String scanId, java.util.function.Supplier<Future<Void>> write) {
    Future<Void> previous = chains.getOrDefault(scanId, Future.succeededFuture());
    chains.put(scanId, previous.transform(ar -> write.get()).recover(err -> {
      LOG.warn("scan {}: could not write to the scan store: {}", scanId, err.getMessage());
      return Future.succeededFuture();
    }));
  }
}
