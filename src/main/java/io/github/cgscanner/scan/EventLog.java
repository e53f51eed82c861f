package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a scan's events and saves its record, in order, and publishes each event once it is stored,
 * so a reader that sees event n live can always read 1…n-1 from the store. Events appended in one turn
 * of the event loop are written as one batch. A write is retried with backoff for up to
 * {@code store.maxOutage}; one that still fails is reported to {@code onStoreFailure} (the scan then
 * fails {@code store_unavailable}) and not published — except a scan's final events, which are published
 * anyway so that live readers are not left waiting (the store gets them later: see CoordinatorLoss).
 */
final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final ScanStore store;
  private final long maxOutageMs;
  private final Consumer<String> onStoreFailure;
  private final Consumer<String> onFenced;
  private final Map<String, Log> logs = new HashMap<>();

  private static final class Log {
    Future<Void> tail = Future.succeededFuture();
    List<ScanEvent> batch = new ArrayList<>();
    boolean flushScheduled;
    /** A write of this scan was given up: its log has a hole, so it cannot be reported complete. */
    boolean lost;
    /** The owner version the scan is written under: a write under an older one is refused by the store. */
    long ownerVersion = 1;
  }

  EventLog(Vertx vertx, ScanStore store, java.time.Duration maxOutage, Consumer<String> onStoreFailure, Consumer<String> onFenced) {
    this.vertx = vertx;
    this.onFenced = onFenced;
    this.store = store;
    this.maxOutageMs = maxOutage.toMillis();
    this.onStoreFailure = onStoreFailure;
  }

  void append(ScanRun run, ScanEvent.Type type, JsonObject data) {
    Log log = logs.computeIfAbsent(run.id, k -> new Log());
    log.ownerVersion = run.ownerVersion;
    log.batch.add(new ScanEvent(++run.seq, type, data));
    if (!log.flushScheduled) {
      log.flushScheduled = true;
      vertx.runOnContext(v -> flush(run.id, log));
    }
  }

  /** @param eventsToCome events about to be appended that the saved record should already count (the final {@code status} and {@code done}) */
  void save(ScanRun run, int eventsToCome) {
    Log log = logs.computeIfAbsent(run.id, k -> new Log());
    log.ownerVersion = run.ownerVersion;
    flush(run.id, log);
    JsonObject record = run.toRecord(eventsToCome);
    chain(run.id, log, () -> store.saveScan(record), () -> { }, () -> { });
  }

  void save(ScanRun run) {
    save(run, 0);
  }

  /** Completes when everything appended so far is written or given up: true when nothing was lost. */
  Future<Boolean> whole(String scanId) {
    Log log = logs.get(scanId);
    if (log == null) return Future.succeededFuture(true);
    flush(scanId, log);
    return log.tail.map(v -> !log.lost);
  }

  /** Completes when everything appended so far is written (or given up); forgets the scan afterwards. */
  Future<Void> settle(String scanId) {
    Log log = logs.get(scanId);
    if (log == null) return Future.succeededFuture();
    flush(scanId, log);
    Future<Void> last = log.tail;
    return last.onComplete(ar -> {
      if (logs.get(scanId) == log && log.tail == last && log.batch.isEmpty()) logs.remove(scanId);
    });
  }

  /** Completes when everything appended so far, of every scan, is written or given up. */
  Future<Void> wholeAll() {
    List<Future<Boolean>> all = new ArrayList<>();
    for (String id : List.copyOf(logs.keySet())) all.add(whole(id));
    return Future.join(all).mapEmpty();
  }

  /** The scan was taken over: what is still unwritten is dropped. */
  void forget(String scanId) {
    Log log = logs.remove(scanId);
    if (log != null) log.batch.clear();
  }

  private void flush(String scanId, Log log) {
    log.flushScheduled = false;
    if (log.batch.isEmpty()) return;
    List<ScanEvent> batch = log.batch;
    log.batch = new ArrayList<>();
    long version = log.ownerVersion;
    chain(scanId, log, () -> store.appendEvents(scanId, version, batch), () -> publish(scanId, batch),
        () -> batch.stream().filter(EventLog::isFinal).forEach(e -> publishOne(scanId, e)));
  }

  private static boolean isFinal(ScanEvent e) {
    return e.type() == ScanEvent.Type.DONE
        || e.type() == ScanEvent.Type.STATUS && ScanStatus.isFinal(e.data().getString("status"));
  }

  private void publish(String scanId, List<ScanEvent> batch) {
    for (ScanEvent e : batch) publishOne(scanId, e);
  }

  private void publishOne(String scanId, ScanEvent e) {
    vertx.eventBus().publish(Addresses.scanEvents(scanId), e.toJson());
  }

  private void chain(String scanId, Log log, Supplier<Future<Void>> write, Runnable written, Runnable lost) {
    log.tail = log.tail.transform(ar -> retrying(write, System.currentTimeMillis() + maxOutageMs, FIRST_BACKOFF_MS)).transform(ar -> {
      if (ar.succeeded()) {
        written.run();
      } else if (io.github.cgscanner.store.FencedException.isFencing(ar.cause())) {
        // Taken over: the new owner writes and publishes from now on; nothing of this worker's goes out.
        log.lost = true;
        onFenced.accept(scanId);
      } else {
        LOG.warn("scan {}: could not write to the scan store for {} s (store.maxOutage): {}", scanId,
            maxOutageMs / 1000, ar.cause().getMessage());
        log.lost = true;
        lost.run();
        onStoreFailure.accept(scanId);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> retrying(Supplier<Future<Void>> write, long giveUpAt, long backoffMs) {
    return write.get().recover(err -> {
      if (io.github.cgscanner.store.FencedException.isFencing(err) || System.currentTimeMillis() + backoffMs > giveUpAt) {
        return Future.failedFuture(err);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(backoffMs, t -> retrying(write, giveUpAt, Math.min(MAX_BACKOFF_MS, backoffMs * 4)).onComplete(later));
      return later.future();
    });
  }
}
