package io.github.cgscanner.cli;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.cluster.LoadRegistryVerticle;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.http.HttpVerticle;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.metrics.MetricsVerticle;
import io.github.cgscanner.scan.DispatcherVerticle;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.github.cgscanner.llm.ModelCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker: a Vert.x instance with the dispatcher, the coordinator, one verticle per key, the load
 * registry and, for {@code serve}, the HTTP API.
 */
public final class ScannerNode {
  /** Local address announcing a shutdown: verticles stop taking work. */
  public static final String DRAIN_ADDRESS = "scanner.node.drain";
  /** How long a shutdown waits for the model requests in flight, so their results are not wasted. */
  private static final long DRAIN_MS = 10_000;

  private final Vertx vertx;
  private final String nodeId;

  private ScannerNode(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return nodeId;
  }

  /** A standalone node: local maps, local event bus. */
  public static Future<ScannerNode> standalone(ScannerConfig config, boolean withHttp, String version) {
    // The CLI has no /metrics to serve: no meter registry for it.
    Vertx vertx = withHttp ? Vertx.vertx(MetricsSetup.vertxOptions()) : Vertx.vertx();
    vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).put("standalone", true);
    ScannerNode node = new ScannerNode(vertx, UUID.randomUUID().toString());
    return node.deploy(config, withHttp, version).map(node)
        .recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
  }

  /** A node on an existing (e.g. clustered) Vert.x whose node id is already known. */
  public static Future<ScannerNode> on(Vertx vertx, String nodeId, ScannerConfig config, boolean withHttp, String version) {
    ScannerNode node = new ScannerNode(vertx, nodeId);
    return node.deploy(config, withHttp, version).map(node);
  }

  private Future<Void> deploy(ScannerConfig config, boolean withHttp, String version) {
    JsonObject base = new JsonObject().put("nodeId", nodeId).put("scanner", config.toJson()).put("version", version);
    return vertx.deployVerticle(new DispatcherVerticle(), new DeploymentOptions().setConfig(base.copy()))
        .compose(id -> vertx.deployVerticle(new ScanCoordinatorVerticle(), new DeploymentOptions().setConfig(base.copy())))
        .compose(id -> {
          List<Future<String>> keys = new ArrayList<>();
          for (int i = 0; i < config.keys().apiKeys().size(); i++) {
            keys.add(vertx.deployVerticle(new KeyVerticle(), new DeploymentOptions().setConfig(base.copy().put("keyIndex", i))));
          }
          return Future.all(keys);
        })
        .compose(v -> vertx.deployVerticle(new LoadRegistryVerticle(), new DeploymentOptions().setConfig(base.copy())))
        .compose(v -> withHttp
            ? vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(base.copy()))
                .compose(id -> vertx.deployVerticle(new HttpVerticle(), new DeploymentOptions().setConfig(base.copy()))).mapEmpty()
            : Future.<Void>succeededFuture())
        .onSuccess(v -> checkModel(config));
  }

  /** Warns about an unknown or retiring model; runs in the background and never holds up readiness. */
  private void checkModel(ScannerConfig config) {
    WebClient client = WebClient.create(vertx);
    ModelCatalog.checkModel(client, config).onComplete(ar -> client.close());
  }

  public Future<Void> close() {
    return vertx.close();
  }

  /**
   * Leaves gracefully, blocking the calling (non-Vert.x) thread: submissions are refused (503),
   * dispatchers lease nothing more, the load entry is withdrawn so nobody recruits or forwards to this
   * worker, requests in flight get a few seconds to report, then Vert.x closes and leaves the cluster.
   * Leases still held are re-queued by their coordinators when this member is gone.
   */
  public void shutdown(Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try {
      drain().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // leave anyway
    }
    // The close future's listeners would run on event loops that are gone by then: watch its state instead.
    Future<Void> closing = vertx.close();
    while (!closing.isComplete() && System.currentTimeMillis() < deadline) Thread.sleep(20);
  }

  private Future<Void> drain() {
    vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).put("draining", true);
    vertx.eventBus().publish(DRAIN_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
    return new LoadRegistry(vertx).withdraw(nodeId)
        .transform(ar -> keysIdle(System.currentTimeMillis() + DRAIN_MS));
  }

  private Future<Void> keysIdle(long deadline) {
    Promise<Void> idle = Promise.promise();
    vertx.setPeriodic(0, 200, id -> {
      int inFlight = vertx.sharedData().<String, JsonObject>getLocalMap(KeyVerticle.KEYS_MAP).values().stream()
          .mapToInt(k -> k.getInteger("inFlight", 0)).sum();
      if (inFlight == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        idle.tryComplete();
      }
    });
    return idle.future();
  }
}
