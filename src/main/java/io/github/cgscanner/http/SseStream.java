package io.github.cgscanner.http;

import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.EventFollower;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's Server-Sent Events stream of one scan, fed by an {@link EventFollower}: every event after
 * {@code Last-Event-ID}, in order, through {@code done}. A client that stops reading is paused (nothing
 * buffers for it: the follower reads the store again when it drains) and dropped when it has not read
 * for {@link #SLOW_CLIENT_MS}.
 */
final class SseStream implements EventFollower.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);
  static final long HEARTBEAT_MS = 15_000;
  static final long SLOW_CLIENT_MS = 60_000;

  private final Vertx vertx;
  private final String scanId;
  private final HttpServerResponse response;
  private final EventFollower follower;
  private long heartbeat = -1;
  private long slowTimer = -1;
  private boolean closed;

  SseStream(Vertx vertx, ScanStore store, String scanId, HttpServerResponse response, long lastEventId) {
    this.vertx = vertx;
    this.scanId = scanId;
    this.response = response;
    this.follower = new EventFollower(vertx, store, scanId, lastEventId, this);
  }

  void start() {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Connection", "keep-alive");
    response.write("retry: 3000\n\n");
    response.closeHandler(v -> follower.close());
    response.exceptionHandler(err -> follower.close());
    response.drainHandler(v -> {
      cancelSlowTimer();
      follower.resume();
    });
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
      if (!closed && !response.writeQueueFull()) response.write(": keep-alive\n\n");
    });
    follower.start();
  }

  @Override
  public boolean accept(ScanEvent e) {
    if (closed) return false;
    response.write("id: " + e.seq() + "\nevent: " + e.type().wire() + "\ndata: " + e.data().encode() + "\n\n");
    if (!response.writeQueueFull()) return true;
    if (slowTimer < 0) {
      slowTimer = vertx.setTimer(SLOW_CLIENT_MS, t -> {
        slowTimer = -1;
        LOG.info("scan {}: an SSE client read nothing for {} s; dropped", scanId, SLOW_CLIENT_MS / 1000);
        follower.close();
      });
    }
    return false;
  }

  @Override
  public void end(EventFollower.End how) {
    if (closed) return;
    closed = true;
    if (heartbeat >= 0) vertx.cancelTimer(heartbeat);
    cancelSlowTimer();
    if (how == EventFollower.End.INCOMPLETE) LOG.warn("scan {}: its event log is incomplete; the SSE stream ends early", scanId);
    if (how == EventFollower.End.CLOSED && !response.ended()) {
      response.reset();
    } else if (!response.ended()) {
      response.end();
    }
  }

  private void cancelSlowTimer() {
    if (slowTimer >= 0) vertx.cancelTimer(slowTimer);
    slowTimer = -1;
  }
}
