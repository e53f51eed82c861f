package io.github.cgscanner.store;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Follows one scan's event log for one reader — an SSE client or the CLI — from a sequence number to
 * {@code done}: consecutive events, none twice, none skipped.
 *
 * <p>It subscribes to the scan's live events first and only then reads the store, so nothing published
 * in between is missed. Live events are a fast path only: one that does not follow the last one sent
 * (or arrives while the store is being read, or while the reader is full) makes it read the store
 * again, which holds every event before it is published. It never buffers live events, so a slow reader
 * costs no memory. A periodic look at the store catches what no live event announced (a take-over by
 * another worker, a publication lost with its worker), a scan that expired, and a log whose hole will
 * not fill.
 */
public final class EventFollower {
  /** How the stream ended. */
  public enum End {
    /** {@code done} was delivered. */
    DONE,
    /** The scan is gone from the store (retention, or deleted). */
    GONE,
    /** The scan finished but its log lacks events: a reader must not pass the rest off as whole. */
    INCOMPLETE,
    /** The reader closed. */
    CLOSED
  }

  public interface Sink {
    /** Takes one event; returns false when it cannot take more now ({@link #resume()} when it can). */
    boolean accept(ScanEvent event);

    void end(End how);
  }

  static final long POLL_MS = 2_000;
  /** Polls a finished scan's hole may last before the stream gives up on it. */
  private static final int HOLE_POLLS = 3;

  private final Vertx vertx;
  private final ScanStore store;
  private final String scanId;
  private final Sink sink;
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<Long> stored;
  private long poller = -1;
  private long lastSent;
  private boolean reading;
  private boolean readAgain;
  private boolean paused;
  private boolean ended;
  private int holePolls;

  public EventFollower(Vertx vertx, ScanStore store, String scanId, long after, Sink sink) {
    this.vertx = vertx;
    this.store = store;
    this.scanId = scanId;
    this.lastSent = after;
    this.sink = sink;
  }

  /**
   * Where this worker hears that another one, without an event bus between them, stored events of
   * {@code scanId} up to the sequence number in the message (PostgreSQL notices, see store/jdbc).
   */
  public static String storedAddress(String scanId) {
    return "scanner.scan.stored." + scanId;
  }

  public void start() {
    consumer = vertx.eventBus().consumer(Addresses.scanEvents(scanId), m -> onLive(ScanEvent.fromJson(m.body())));
    stored = vertx.eventBus().localConsumer(storedAddress(scanId), m -> {
      if (m.body() > lastSent) read();
    });
    poller = vertx.setPeriodic(POLL_MS, t -> poll());
    consumer.completion().onComplete(v -> read());
  }

  public long lastSent() {
    return lastSent;
  }

  /** The reader has room again. */
  public void resume() {
    if (ended || !paused) return;
    paused = false;
    read();
  }

  public void close() {
    end(End.CLOSED);
  }

  private void onLive(ScanEvent e) {
    if (ended || e.seq() <= lastSent) return;
    if (!reading && !paused && e.seq() == lastSent + 1) {
      deliver(e);
    } else {
      read();
    }
  }

  private void read() {
    if (ended || paused) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    readAgain = false;
    store.events(scanId, lastSent, ScanStore.PAGE).onComplete(ar -> {
      reading = false;
      if (ended) return;
      List<ScanEvent> page = ar.succeeded() ? ar.result() : List.of();
      for (ScanEvent e : page) {
        if (e.seq() <= lastSent) continue;
        if (!deliver(e)) return;
      }
      if (page.size() == ScanStore.PAGE || readAgain) read();
    });
  }

  /** @return false when nothing more should be sent now (ended, or the reader is full) */
  private boolean deliver(ScanEvent e) {
    lastSent = e.seq();
    holePolls = 0;
    boolean room = sink.accept(e);
    if (e.type() == ScanEvent.Type.DONE) {
      end(End.DONE);
      return false;
    }
    if (!room) paused = true;
    return room;
  }

  private void poll() {
    if (ended) return;
    read();
    store.scan(scanId).onSuccess(record -> {
      if (ended) return;
      if (record == null) {
        end(End.GONE);
      } else if (ScanRecords.isFinal(record) && ScanRecords.lastSeq(record) > lastSent && !reading && !paused
          && ++holePolls > HOLE_POLLS) {
        end(End.INCOMPLETE);
      }
    });
  }

  private void end(End how) {
    if (ended) return;
    ended = true;
    if (consumer != null) consumer.unregister();
    if (stored != null) stored.unregister();
    if (poller >= 0) vertx.cancelTimer(poller);
    sink.end(how);
  }
}
