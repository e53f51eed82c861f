package io.github.cgscanner.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small blocking HTTP client over vertx-web-client for the end-to-end tests. */
public final class Http implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final String base;
  private final String token;

  public Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public Vertx vertx() {
    return vertx;
  }

  public static <T> T await(Future<T> f, long seconds) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private io.vertx.ext.web.client.HttpRequest<Buffer> auth(io.vertx.ext.web.client.HttpRequest<Buffer> r) {
    return token == null ? r : r.putHeader("Authorization", "Bearer " + token);
  }

  public HttpResponse<Buffer> get(String path) throws Exception {
    return await(auth(client.getAbs(base + path)).send(), 30);
  }

  public HttpResponse<Buffer> delete(String path) throws Exception {
    return await(auth(client.deleteAbs(base + path)).send(), 30);
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body) throws Exception {
    return await(auth(client.postAbs(base + path)).sendJsonObject(body), 30);
  }

  public HttpResponse<Buffer> postFile(String path, String contentType, Path file) throws Exception {
    return await(auth(client.postAbs(base + path)).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(Files.readAllBytes(file))), 60);
  }

  public HttpResponse<Buffer> postBytes(String path, String contentType, byte[] body) throws Exception {
    return await(auth(client.postAbs(base + path)).putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)), 60);
  }

  /** Reads the SSE stream with a real SSE client until the server ends it. */
  public SseResult events(String scanId, Long lastEventId, long timeoutSeconds) throws Exception {
    return events(scanId, lastEventId, timeoutSeconds, e -> { });
  }

  /** As {@link #events(String, Long, long)}, telling {@code seen} of each event as it arrives (on a Vert.x thread). */
  public SseResult events(String scanId, Long lastEventId, long timeoutSeconds, java.util.function.Consumer<SseEvent> seen) throws Exception {
    List<SseEvent> events = new ArrayList<>();
    var request = auth(client.getAbs(base + "/api/v1/scans/" + scanId + "/events"));
    if (lastEventId != null) request.putHeader("Last-Event-ID", Long.toString(lastEventId));
    io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
    HttpResponse<Void> response = await(request.as(BodyCodec.sseStream(stream -> {
      stream.handler(e -> {
        seen.accept(e);
        synchronized (events) {
          events.add(e);
        }
      });
      stream.endHandler(v -> ended.tryComplete());
      stream.exceptionHandler(ended::tryFail);
    })).send(), timeoutSeconds);
    if (response.statusCode() == 200) await(ended.future().otherwiseEmpty(), 5);
    synchronized (events) {
      int retry = events.stream().mapToInt(SseEvent::retry).filter(r -> r > 0).findFirst().orElse(-1);
      return new SseResult(response.statusCode(), events.stream().filter(e -> e.id() != null).toList(), retry);
    }
  }

  /** {@code events} are the ones with an id; {@code retry} is the reconnection delay the server asked for. */
  public record SseResult(int status, List<SseEvent> events, int retry) {}

  @Override
  public void close() throws Exception {
    client.close();
    await(vertx.close(), 10);
  }
}
