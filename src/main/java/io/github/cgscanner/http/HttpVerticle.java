package io.github.cgscanner.http;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.github.cgscanner.scan.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API of one worker. Routes are wired here; the handlers live in {@link SubmitHandler} and {@link ScanRoutes}. */
public class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  public static final String NODE_MAP = "scanner.node";

  private ScannerConfig config;
  private WorkerExecutor blocking;
  private HttpServer server;

  @Override
  public Future<?> start() {
    config = ScannerConfig.fromJson(config().getJsonObject("scanner"));
    String nodeId = config().getString("nodeId");
    String version = config().getString("version", "dev");
    blocking = vertx.createSharedWorkerExecutor(ScanCoordinatorVerticle.BLOCKING_POOL);
    ScanStore store = new ScanStore(vertx);
    Auth auth = new Auth(config.auth());
    SubmitHandler submit = new SubmitHandler(vertx, config, nodeId, blocking, SubmitHandler.uploadsDir());
    ScanRoutes scans = new ScanRoutes(vertx, store, version);
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

    return vertx.fileSystem().mkdirs(SubmitHandler.uploadsDir().toString())
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(config.http().port(), config.http().host()))
        .onSuccess(s -> {
          server = s;
          vertx.sharedData().getLocalMap(NODE_MAP).put("httpPort", s.actualPort());
          LOG.info("HTTP API listening on http://{}:{}", config.http().host(), s.actualPort());
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
    var node = vertx.sharedData().<String, Object>getLocalMap(NODE_MAP);
    int members = (Integer) node.getOrDefault("clusterMembers", 1);
    boolean clusterOk = members >= config.cluster().minSize() || Boolean.TRUE.equals(node.get("standalone"));
    boolean keysOk = !config.modelReviewEnabled() || vertx.sharedData().<String, JsonObject>getLocalMap("scanner.keys")
        .values().stream().anyMatch(k -> !"disabled".equals(k.getString("state")))
        || vertx.sharedData().getLocalMap("scanner.keys").isEmpty();
    boolean ready = server != null && clusterOk && keysOk;
    JsonObject body = new JsonObject()
        .put("status", ready ? "ready" : "not_ready")
        .put("http", server != null)
        .put("clusterMembers", members)
        .put("modelReview", config.modelReviewEnabled() ? (keysOk ? "available" : "no_usable_key") : "local_only");
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
