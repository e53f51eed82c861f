package io.github.cgscanner.store.jdbc;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Cancels a scan whose coordinator runs on another worker of the same database, out of this worker's
 * event bus' reach ({@link Addresses#CANCEL_RELAY}): a {@code NOTIFY} that the coordinator's
 * {@link EventNoticeListener} passes on, then the stored record, watched until it is final — the
 * answer a local cancel gives, or 409 when the scan ended otherwise, or 503 when no coordinator acted.
 */
public final class CancelRelay extends VerticleBase {
  private static final long WATCH_MS = 200;
  private static final long PATIENCE_MS = 10_000;

  private final Database db;
  private final ScanStore store;

  public CancelRelay(Database db, ScanStore store) {
    this.db = db;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.CANCEL_RELAY, this::relay).completion();
  }

  private void relay(Message<JsonObject> m) {
    String node = m.body().getString("node");
    String scanId = m.body().getString("scanId");
    db.pool().withConnection(c -> EventNotices.cancel(c, node, scanId))
        .compose(v -> finalRecord(scanId, System.currentTimeMillis() + PATIENCE_MS))
        .onSuccess(record -> {
          if ("cancelled".equals(record.getString("status"))) m.reply(record);
          else m.fail(409, record.getString("status"));
        })
        .onFailure(err -> m.fail(503, err.getMessage()));
  }

  private Future<JsonObject> finalRecord(String scanId, long giveUpAt) {
    return store.scan(scanId).compose(record -> {
      if (record != null && ScanRecords.isFinal(record)) return Future.succeededFuture(record);
      if (record == null) return Future.failedFuture("the scan is gone");
      if (System.currentTimeMillis() > giveUpAt) return Future.failedFuture("no coordinator acted on the cancel");
      Promise<JsonObject> later = Promise.promise();
      vertx.setTimer(WATCH_MS, t -> finalRecord(scanId, giveUpAt).onComplete(later));
      return later.future();
    });
  }
}
