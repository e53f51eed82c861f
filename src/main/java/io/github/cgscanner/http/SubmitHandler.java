package io.github.cgscanner.http;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.source.SourceFetcher;
import io.github.cgscanner.source.SourceRejected;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/scans}: a JSON source, or a raw archive body streamed to a temporary file with a
 * byte counter (never held in the heap). Everything checkable without the network is checked here and
 * answered 400/413/415; fetching happens after the 202. Uploads in progress are capped per worker and
 * per token ({@code sources.maxUploadsInProgress}, {@code sources.maxUploadsPerToken}), beyond which the
 * answer is 429.
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
  private final HttpVerticle.Settings settings;
  private final String nodeId;
  private final WorkerExecutor blocking;
  private final SubmissionParser parser;
  private final CoordinatorClient coordinators;
  private final Path uploads;
  private final Map<String, Integer> uploadsByOwner = new HashMap<>();
  private int uploadsInProgress;

  SubmitHandler(Vertx vertx, HttpVerticle.Settings settings, WorkerExecutor blocking, SubmissionParser parser) {
    this.vertx = vertx;
    this.settings = settings;
    this.nodeId = settings.nodeId();
    this.blocking = blocking;
    this.parser = parser;
    this.coordinators = new CoordinatorClient(vertx.eventBus());
    this.uploads = settings.uploads();
  }

  void handle(RoutingContext ctx) {
    if (Boolean.TRUE.equals(vertx.sharedData().getLocalMap(Addresses.NODE_MAP).get("draining"))) {
      ApiErrors.send(ctx, 503, "unavailable", "this worker is shutting down; submit to another worker");
      return;
    }
    HttpServerRequest request = ctx.request();
    String type = mediaType(request.getHeader("Content-Type"));
    boolean json = type.equals("application/json");
    long max = json ? Math.min(MAX_JSON_BYTES, settings.sources().maxUploadBytes()) : settings.sources().maxUploadBytes();
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
      blocking.executeBlocking(() -> parser.parse(body), false)
          .onSuccess(parsed -> submit(ctx, parsed.source(), parsed.options(), null))
          .onFailure(err -> {
            if (err instanceof SubmissionParser.Invalid bad) {
              ApiErrors.send(ctx, 400, bad.code, bad.getMessage());
            } else {
              ApiErrors.send(ctx, 500, "internal_error", "the submission could not be read");
            }
          });
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
    String owner = ctx.<Auth.Caller>get(Auth.CALLER).owner();
    if (uploadsInProgress >= settings.sources().maxUploadsInProgress()
        || owner != null && uploadsByOwner.getOrDefault(owner, 0) >= settings.sources().maxUploadsPerToken()) {
      ctx.response().putHeader("Retry-After", "10").putHeader("Connection", "close");
      ApiErrors.send(ctx, 429, "too_many_requests", "too many uploads in progress; try again shortly");
      return;
    }
    uploadsInProgress++;
    if (owner != null) uploadsByOwner.merge(owner, 1, Integer::sum);
    ctx.addEndHandler(v -> {
      uploadsInProgress--;
      if (owner != null) uploadsByOwner.computeIfPresent(owner, (k, n) -> n <= 1 ? null : n - 1);
    });
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
    SubmitScan message = new SubmitScan(spec.toJson(), options, caller.owner(), uploadFile);
    Future<JsonObject> submitted = coordinators.submit(nodeId, message);
    if (message.forwardable()) {
      // A git URL without a token can be fetched by any worker: when this one is full, one with room takes
      // it. Uploads stay where their file is; tokens and inline files never travel over the event bus.
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
          } else if (code == 503) {
            ctx.response().putHeader("Retry-After", "30");
            ApiErrors.send(ctx, 503, "store_unavailable", "the scan store is unavailable; the scan was not accepted, try again later");
          } else {
            ApiErrors.send(ctx, 500, "internal_error", "the scan could not be submitted");
          }
        });
  }

  /** Tries the peers in turn (their load entries are up to a second old, so one may have filled up meanwhile). */
  private Future<JsonObject> forward(SubmitScan message, List<String> peers, int i, Throwable full) {
    if (i >= peers.size()) return Future.failedFuture(full);
    return coordinators.submit(peers.get(i), message).recover(err -> forward(message, peers, i + 1, full));
  }

  private static boolean isFull(Throwable err) {
    return err instanceof ReplyException re && re.failureCode() == 429;
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
