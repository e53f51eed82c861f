package io.github.cgscanner.http;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API of one worker. Routes are wired here; the handlers live in {@link SubmitHandler} and {@link ScanRoutes}. */
public class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  /** The HTTP verticle's slice of the configuration. {@code uploads} is where archive bodies are streamed to. */
  public record Settings(String nodeId, String version, ScannerConfig.Http http, ScannerConfig.Auth auth,
      ScannerConfig.Sources sources, int clusterMinSize, boolean modelReview, Path uploads) {}

  private final Settings settings;
  private final ScanStore store;
  private final SubmissionParser parser;
  private final Reports reports;
  private WorkerExecutor blocking;
  private HttpServer server;

  public HttpVerticle(Settings settings, ScanStore store) {
    this(settings, store, new SubmissionParser(settings.sources()), new Reports(settings.version()));
  }

  /** Tests pass their own parser and reports to see where the heavy work runs. */
  HttpVerticle(Settings settings, ScanStore store, SubmissionParser parser, Reports reports) {
    this.settings = settings;
    this.store = store;
    this.parser = parser;
    this.reports = reports;
  }

  @Override
  public Future<?> start() {
    String nodeId = settings.nodeId();
    blocking = vertx.createSharedWorkerExecutor(Addresses.BLOCKING_POOL);
    Auth auth = new Auth(settings.auth());
    SubmitHandler submit = new SubmitHandler(vertx, settings, blocking, parser);
    ScanRoutes scans = new ScanRoutes(vertx, store, blocking, reports);
    ClusterView cluster = new ClusterView(vertx, nodeId);

    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.get("/health/live").handler(ctx -> ScanRoutes.json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(this::ready);
    router.route("/api/*").handler(auth::handle);
    // Metrics name scans' load and keys' states: not for anonymous callers once tokens are configured.
    router.route("/metrics").handler(auth::handle);
    router.post("/api/v1/scans").handler(submit::handle);
    router.get("/api/v1/scans").handler(scans::list);
    router.get("/api/v1/scans/:id").handler(scans::get);
    router.delete("/api/v1/scans/:id").handler(scans::cancel);
    router.get("/api/v1/scans/:id/findings").handler(scans::findings);
    router.get("/api/v1/scans/:id/events").handler(scans::events);
    router.get("/api/v1/scans/:id/report.sarif").handler(scans::sarif);
    router.get("/api/v1/cluster").handler(cluster::handle);
    router.get("/metrics").handler(ctx -> metrics(ctx, nodeId));
    // The dashboard: static files only, no data in them; every response already carries the CSP above.
    router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setMaxAgeSeconds(300));
    router.route().last().handler(ctx -> ApiErrors.send(ctx, 404, "not_found", "no such route"));
    router.errorHandler(405, ctx -> ApiErrors.send(ctx, 405, "method_not_allowed", "method not allowed on this route"));
    router.errorHandler(500, this::internalError);

    return vertx.createHttpServer().requestHandler(router).listen(settings.http().port(), settings.http().host())
        .onSuccess(s -> {
          server = s;
          vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put("httpPort", s.actualPort());
          LOG.info("HTTP API listening on http://{}:{}", settings.http().host(), s.actualPort());
        });
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'self'")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }

  private void ready(RoutingContext ctx) {
    var node = vertx.sharedData().<String, Object>getLocalMap(Addresses.NODE_MAP);
    int members = (Integer) node.getOrDefault("clusterMembers", 1);
    boolean clusterOk = members >= settings.clusterMinSize() || Boolean.TRUE.equals(node.get("standalone"));
    var keys = vertx.sharedData().<String, JsonObject>getLocalMap(Addresses.KEYS_MAP);
    boolean keysOk = !settings.modelReview() || keys.isEmpty()
        || keys.values().stream().anyMatch(k -> !KeyState.fromJson(k).disabled());
    boolean storeOk = !Boolean.FALSE.equals(node.get("storeAvailable"));
    boolean ready = server != null && clusterOk && keysOk && storeOk;
    JsonObject body = new JsonObject()
        .put("status", ready ? "ready" : "not_ready")
        .put("http", server != null)
        .put("clusterMembers", members)
        .put("store", storeOk ? "available" : "unavailable")
        .put("modelReview", settings.modelReview() ? (keysOk ? "available" : "no_usable_key") : "local_only");
    ScanRoutes.json(ctx, ready ? 200 : 503, body);
  }

  private void metrics(RoutingContext ctx, String nodeId) {
    String text = vertx.isMetricsEnabled() ? MetricsSetup.scrape(nodeId) : null;
    if (text == null) {
      ApiErrors.send(ctx, 404, "not_found", "metrics are not enabled on this worker");
    } else {
      ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
    }
  }

  private void internalError(RoutingContext ctx) {
    if (ctx.failure() != null) LOG.warn("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    ApiErrors.send(ctx, 500, "internal_error", "internal error");
  }

  @Override
  public Future<?> stop() {
    return blocking == null ? Future.succeededFuture() : blocking.close();
  }
}
