package io.github.cgscanner.http;

import io.github.cgscanner.scan.ScanStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.TreeMap;

/**
 * One client's Server-Sent Events stream of one scan: replays the stored log after
 * {@code Last-Event-ID}, then forwards live events, in sequence order without gaps or repeats. Live
 * events that arrive during the replay wait in a buffer; a gap (an event published before we
 * subscribed but stored after we read) is filled from the store.
 */
final class SseStream {
  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final ScanStore store;
  private final String scanId;
  private final HttpServerResponse response;
  private final TreeMap<Long, JsonObject> buffered = new TreeMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long heartbeat = -1;
  private long lastSent;
  private boolean catchingUp = true;
  private boolean closed;

  SseStream(Vertx vertx, ScanStore store, String scanId, HttpServerResponse response, long lastEventId) {
    this.vertx = vertx;
    this.store = store;
    this.scanId = scanId;
    this.response = response;
    this.lastSent = lastEventId;
  }

  static String address(String scanId) {
    return "scanner.scan." + scanId + ".events";
  }

  void start(long storedUpTo) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Connection", "keep-alive");
    response.write("retry: 3000\n\n");
    response.closeHandler(v -> close());
    response.exceptionHandler(err -> close());
    consumer = vertx.eventBus().consumer(address(scanId), m -> onLive(m.body()));
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
      if (!closed) response.write(": keep-alive\n\n");
    });
    consumer.completion().onComplete(v -> catchUp(storedUpTo));
  }

  private void catchUp(long upTo) {
    if (closed) return;
    long target = Math.max(upTo, buffered.isEmpty() ? 0 : buffered.lastKey() - 1);
    if (lastSent >= target) {
      catchingUp = false;
      drain();
      return;
    }
    store.events(scanId, lastSent, target).onComplete(ar -> {
      if (closed) return;
      List<JsonObject> events = ar.succeeded() ? ar.result() : List.of();
      for (JsonObject e : events) {
        if (!send(e)) return;
      }
      if (events.isEmpty()) {
        // Nothing more is stored; live events carry on from here. A hole the store cannot fill (a
        // failed write) is stepped over rather than waited on forever.
        if (!buffered.isEmpty() && buffered.firstKey() > lastSent + 1 && upTo >= buffered.firstKey() - 1) {
          lastSent = buffered.firstKey() - 1;
        }
        catchingUp = false;
        drain();
      } else {
        catchUp(target);
      }
    });
  }

  private void onLive(JsonObject event) {
    if (closed) return;
    buffered.put(event.getLong("seq"), event);
    if (!catchingUp) drain();
  }

  private void drain() {
    while (!buffered.isEmpty() && !closed) {
      long first = buffered.firstKey();
      if (first <= lastSent) {
        buffered.pollFirstEntry();
      } else if (first == lastSent + 1) {
        if (!send(buffered.pollFirstEntry().getValue())) return;
      } else {
        catchingUp = true;
        catchUp(first - 1);
        return;
      }
    }
  }

  /** @return false when the stream ended (after {@code done}) */
  private boolean send(JsonObject event) {
    long seq = event.getLong("seq");
    if (seq <= lastSent) return true;
    lastSent = seq;
    String type = event.getString("type");
    response.write("id: " + seq + "\nevent: " + type + "\ndata: " + event.getJsonObject("data").encode() + "\n\n");
    if ("done".equals(type)) {
      close();
      response.end();
      return false;
    }
    return true;
  }

  private void close() {
    if (closed) return;
    closed = true;
    if (consumer != null) consumer.unregister();
    if (heartbeat >= 0) vertx.cancelTimer(heartbeat);
    buffered.clear();
  }
}
