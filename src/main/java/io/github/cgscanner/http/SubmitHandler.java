package io.github.cgscanner.http;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.source.SourceFetcher;
import io.github.cgscanner.source.SourceRejected;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/scans}: a JSON source, or a raw archive body streamed to a temporary file with a
 * byte counter (never held in the heap). Everything checkable without the network is checked here and
 * answered 400/413/415; fetching happens after the 202.
 */
final class SubmitHandler {
  private static final Set<String> ARCHIVE_TYPES =
      Set.of("application/zip", "application/x-zip-compressed", "application/gzip", "application/x-gzip");
  /**
   * A JSON body is held in the heap and parsed whole (several times its size in memory), unlike an
   * archive streamed to disk: a few bodies at the upload limit would exhaust the heap of the worker.
   */
  static final long MAX_JSON_BYTES = 16L << 20;

  private final Vertx vertx;
  private final ScannerConfig config;
  private final String nodeId;
  private final WorkerExecutor blocking;
  private final Path uploads;

  SubmitHandler(Vertx vertx, ScannerConfig config, String nodeId, WorkerExecutor blocking, Path uploads) {
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.blocking = blocking;
    this.uploads = uploads;
  }

  void handle(RoutingContext ctx) {
    if (Boolean.TRUE.equals(vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).get("draining"))) {
      ApiErrors.send(ctx, 503, "unavailable", "this worker is shutting down; submit to another worker");
      return;
    }
    HttpServerRequest request = ctx.request();
    String type = mediaType(request.getHeader("Content-Type"));
    boolean json = type.equals("application/json");
    long max = json ? Math.min(MAX_JSON_BYTES, config.sources().maxUploadBytes()) : config.sources().maxUploadBytes();
    String length = request.getHeader("Content-Length");
    if (length != null && parseLong(length) > max) {
      request.pause();
      ctx.response().putHeader("Connection", "close");
      ApiErrors.send(ctx, 413, "payload_too_large", "the request body is larger than " + max + " bytes");
      return;
    }
    if (json) {
      readJson(ctx, max);
    } else if (ARCHIVE_TYPES.contains(type)) {
      receiveArchive(ctx, max);
    } else {
      ApiErrors.send(ctx, 415, "unsupported_media_type",
          "send application/json, or a .zip or .tar.gz archive as application/zip or application/gzip");
    }
  }

  private void readJson(RoutingContext ctx, long max) {
    Buffer body = Buffer.buffer();
    HttpServerRequest request = ctx.request();
    request.handler(chunk -> {
      if (ctx.response().ended()) return;
      if (body.length() + chunk.length() > max) {
        tooLarge(ctx, max);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (ctx.response().ended()) return;
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        ApiErrors.send(ctx, 400, "invalid_request", "the body is not a JSON object");
        return;
      }
      if (json == null || !(json.getValue("source") instanceof JsonObject source)) {
        ApiErrors.send(ctx, 400, "invalid_request", "the body needs a \"source\" object");
        return;
      }
      for (String field : json.fieldNames()) {
        if (!field.equals("source") && !field.equals("options")) {
          ApiErrors.send(ctx, 400, "invalid_request", "unknown field '" + field + "'");
          return;
        }
      }
      if (json.getValue("options") != null && !(json.getValue("options") instanceof JsonObject)) {
        ApiErrors.send(ctx, 400, "invalid_request", "\"options\" must be an object");
        return;
      }
      try {
        ScanOptions options = ScanOptions.fromJson(json.getJsonObject("options"));
        SourceSpec spec = SourceSpec.parseSubmitted(source, config.sources());
        submit(ctx, spec, options, null);
      } catch (SourceRejected e) {
        ApiErrors.send(ctx, 400, e.code(), e.getMessage());
      } catch (IllegalArgumentException e) {
        ApiErrors.send(ctx, 400, "invalid_request", e.getMessage());
      }
    });
  }

  private void receiveArchive(RoutingContext ctx, long max) {
    ScanOptions options;
    try {
      String raw = ctx.request().getParam("options");
      options = ScanOptions.fromJson(raw == null ? null : new JsonObject(raw));
    } catch (DecodeException | ClassCastException e) {
      ApiErrors.send(ctx, 400, "invalid_request", "?options= must be URL-encoded JSON");
      return;
    } catch (IllegalArgumentException e) {
      ApiErrors.send(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    HttpServerRequest request = ctx.request();
    request.pause();
    Path file = uploads.resolve("upload-" + UUID.randomUUID());
    vertx.fileSystem().open(file.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .onFailure(err -> ApiErrors.send(ctx, 500, "internal_error", "the upload could not be stored"))
        .onSuccess(out -> stream(ctx, request, out, file, max, options));
  }

  private void stream(RoutingContext ctx, HttpServerRequest request, AsyncFile out, Path file, long max, ScanOptions options) {
    long[] received = {0};
    request.handler(chunk -> {
      if (ctx.response().ended()) return;
      received[0] += chunk.length();
      if (received[0] > max) {
        out.close().onComplete(v -> vertx.fileSystem().delete(file.toString()));
        tooLarge(ctx, max);
        return;
      }
      out.write(chunk);
      if (out.writeQueueFull()) {
        request.pause();
        out.drainHandler(v -> request.resume());
      }
    });
    request.exceptionHandler(err -> out.close().onComplete(v -> vertx.fileSystem().delete(file.toString())));
    request.endHandler(v -> {
      if (ctx.response().ended()) return;
      out.close()
          .compose(x -> blocking.executeBlocking(() -> SourceFetcher.detectArchive(file, archiveName(ctx)), false))
          .onSuccess(spec -> submit(ctx, spec, options, file.toString()))
          .onFailure(err -> {
            vertx.fileSystem().delete(file.toString());
            if (err instanceof SourceRejected) {
              ApiErrors.send(ctx, 415, "unsupported_media_type", "the body is neither a zip nor a gzip-compressed tar archive");
            } else {
              ApiErrors.send(ctx, 500, "internal_error", "the upload could not be stored");
            }
          });
    });
    request.resume();
  }

  private static String archiveName(RoutingContext ctx) {
    String name = ctx.request().getParam("name");
    if (name == null || name.isBlank() || name.length() > 200 || !name.matches("[\\w.@+-]+")) return "upload";
    return name;
  }

  private void tooLarge(RoutingContext ctx, long max) {
    ctx.response().putHeader("Connection", "close");
    ApiErrors.send(ctx, 413, "payload_too_large", "the request body is larger than " + max + " bytes");
    ctx.request().connection().close();
  }

  private void submit(RoutingContext ctx, SourceSpec spec, ScanOptions options, String uploadFile) {
    Auth.Caller caller = ctx.get(Auth.CALLER);
    JsonObject message = new JsonObject()
        .put("type", "submit")
        .put("source", spec.toJson())
        .put("options", options.toJson())
        .put("owner", caller.owner())
        .put("uploadFile", uploadFile);
    Future<JsonObject> submitted = submitTo(nodeId, message);
    if (uploadFile == null) {
      // A JSON source can be fetched by any worker: when this one is full, one with room takes it.
      // An upload stays here, where its file is.
      submitted = submitted.recover(err -> isFull(err)
          ? new LoadRegistry(vertx).withRoom(nodeId).compose(peers -> forward(message, peers, 0, err))
          : Future.failedFuture(err));
    }
    submitted
        .onSuccess(scan -> ctx.response().setStatusCode(202)
            .putHeader("Content-Type", "application/json")
            .putHeader("Location", "/api/v1/scans/" + scan.getString("id"))
            .end(scan.encode()))
        .onFailure(err -> {
          if (uploadFile != null) vertx.fileSystem().delete(uploadFile);
          int code = err instanceof ReplyException re ? re.failureCode() : 500;
          if (code == 429) {
            ctx.response().putHeader("Retry-After", "30");
            ApiErrors.send(ctx, 429, "too_many_requests", "every worker is busy; try again later");
          } else if (code == 400) {
            ApiErrors.send(ctx, 400, "invalid_request", err.getMessage());
          } else {
            ApiErrors.send(ctx, 500, "internal_error", "the scan could not be submitted");
          }
        });
  }

  private Future<JsonObject> submitTo(String node, JsonObject message) {
    return vertx.eventBus().<JsonObject>request(ScanCoordinatorVerticle.address(node), message,
        new DeliveryOptions().setSendTimeout(30_000)).map(reply -> reply.body());
  }

  /** Tries the peers in turn (their load entries are up to a second old, so one may have filled up meanwhile). */
  private Future<JsonObject> forward(JsonObject message, List<String> peers, int i, Throwable full) {
    if (i >= peers.size()) return Future.failedFuture(full);
    return submitTo(peers.get(i), message).recover(err -> forward(message, peers, i + 1, full));
  }

  private static boolean isFull(Throwable err) {
    return err instanceof ReplyException re && re.failureCode() == 429;
  }

  static Path uploadsDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "cgscanner-uploads");
  }

  private static String mediaType(String header) {
    if (header == null) return "";
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
