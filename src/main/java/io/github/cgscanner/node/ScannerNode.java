package io.github.cgscanner.node;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.cluster.LoadRegistryVerticle;
import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.http.HttpVerticle;
import io.github.cgscanner.llm.BudgetIds;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.llm.ModelCatalog;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.metrics.MetricsVerticle;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.scan.DispatcherVerticle;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.github.cgscanner.source.WorkRoot;
import io.github.cgscanner.store.ClusterReviewCache;
import io.github.cgscanner.store.LocalReviewCache;
import io.github.cgscanner.store.ReviewCache;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.JdbcReviewCache;
import org.slf4j.LoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker, wired: a Vert.x instance with the dispatcher, the coordinator, one verticle per key, the
 * load registry and, for {@code serve}, the metrics and the HTTP API. Each verticle is given only its
 * slice of the configuration. This is the one place that knows every part.
 */
public final class ScannerNode {
  /** How long a shutdown waits for the model requests in flight, so their results are not wasted. */
  private static final long DRAIN_MS = 10_000;

  /** How often readiness asks the store whether it answers. */
  private static final long STORE_CHECK_MS = 2_000;

  private final Vertx vertx;
  private final String nodeId;
  private final ScanStore store;
  private final Database database;
  private JdbcReviewCache storedReviews;
  private WorkRoot workRoot;

  private ScannerNode(Vertx vertx, String nodeId, StoreOpening.Opened opened) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.store = opened.store();
    this.database = opened.database();
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return nodeId;
  }

  public ScanStore store() {
    return store;
  }

  /** A standalone node: local maps, local event bus. */
  public static Future<ScannerNode> standalone(ScannerConfig config, boolean withHttp, String version) {
    // The CLI has no /metrics to serve: no meter registry for it.
    Vertx vertx = withHttp ? Vertx.vertx(MetricsSetup.vertxOptions()) : Vertx.vertx();
    vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put("standalone", true);
    // Not chained on the close: its listeners would run on event loops that are gone by then.
    return on(vertx, UUID.randomUUID().toString(), config, withHttp, version)
        .recover(err -> {
          vertx.close();
          return Future.failedFuture(err);
        });
  }

  /**
   * A node on an existing (e.g. clustered) Vert.x whose node id is already known. Its store is opened
   * first (PostgreSQL is waited for up to {@code cluster.joinTimeout}); nothing listens before it answers.
   */
  public static Future<ScannerNode> on(Vertx vertx, String nodeId, ScannerConfig config, boolean withHttp, String version) {
    return StoreOpening.open(vertx, config, nodeId, config.cluster().joinTimeout()).compose(opened -> {
      ScannerNode node = new ScannerNode(vertx, nodeId, opened);
      return node.deploy(config, withHttp, version).map(node)
          .recover(err -> node.closeStore().transform(v -> Future.failedFuture(err)));
    });
  }

  /** Readiness needs the store: it is asked every few seconds whether it answers. */
  private void watchStore() {
    var node = vertx.sharedData().getLocalMap(Addresses.NODE_MAP);
    node.put("storeAvailable", true);
    vertx.setPeriodic(STORE_CHECK_MS, t -> store.ping().onComplete(ar -> {
      boolean was = Boolean.TRUE.equals(node.get("storeAvailable"));
      if (was != ar.succeeded()) {
        if (ar.succeeded()) LoggerFactory.getLogger(ScannerNode.class).info("the scan store answers again");
        else LoggerFactory.getLogger(ScannerNode.class).warn("the scan store does not answer: {}", StoreOpening.reason(ar.cause()));
      }
      node.put("storeAvailable", ar.succeeded());
    }));
  }

  private Future<Void> closeStore() {
    if (database == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      database.close();
      return null;
    }, false);
  }

  /** In the database when there is one (it outlives restarts); else the cluster's map or this worker's own; nothing when {@code cache.ttl} is 0. */
  private ReviewCache reviewCacheOf(ScannerConfig config) {
    ScannerConfig.Cache cache = config.cache();
    if (!cache.enabled()) return ReviewCache.OFF;
    if (database != null) return storedReviews = new JdbcReviewCache(database, cache.ttl());
    return vertx.isClustered() ? new ClusterReviewCache(vertx, cache.ttl()) : new LocalReviewCache(cache.ttl(), cache.maxEntries());
  }

  private Future<Void> deploy(ScannerConfig config, boolean withHttp, String version) {
    List<ApiKey> keys = config.keys().apiKeys();
    watchStore();
    return vertx.executeBlocking(() -> WorkRoot.open(WorkRoot.defaultBase()))
        .compose(root -> {
          workRoot = root;
          return vertx.deployVerticle(new DispatcherVerticle(nodeId));
        })
        .compose(id -> vertx.deployVerticle(new ScanCoordinatorVerticle(new ScanCoordinatorVerticle.Settings(nodeId,
            config.sources(), config.scan(), config.model(), config.review(), config.cache(), config.keys().providers(), config.store().maxOutage()), store,
            reviewCacheOf(config), workRoot)))
        .compose(id -> {
          List<Future<String>> deployed = new ArrayList<>();
          for (ApiKey key : keys) {
            // Each key with its own provider, and only its own key.
            deployed.add(vertx.deployVerticle(new KeyVerticle(new KeyVerticle.Settings(nodeId, key, config.keys().providerOf(key),
                config.keys().limits(), config.keys().maxInFlightPerKey(), BudgetIds.clusterName(config.keys(), key)))));
          }
          return Future.all(deployed);
        })
        .compose(v -> vertx.deployVerticle(new LoadRegistryVerticle(new LoadRegistryVerticle.Settings(nodeId,
            config.scan().maxRunning(), config.scan().maxQueued(), config.http().host(), config.cluster().publicHost(),
            keyHashes(keys)))))
        .compose(v -> withHttp ? deployHttp(config, version) : Future.<Void>succeededFuture())
        .onSuccess(v -> checkModel(config));
  }

  private static Map<String, String> keyHashes(List<ApiKey> keys) {
    Map<String, String> hashes = new HashMap<>();
    keys.forEach(k -> hashes.put(k.alias(), k.hash()));
    return Map.copyOf(hashes);
  }

  private Future<Void> deployHttp(ScannerConfig config, String version) {
    HttpVerticle.Settings http = new HttpVerticle.Settings(nodeId, version, config.http(), config.auth(), config.sources(),
        config.cluster().minSize(), config.modelReviewEnabled(), workRoot.uploads());
    return vertx.deployVerticle(new MetricsVerticle(nodeId, config.keys().providers()))
        .compose(id -> vertx.deployVerticle(new HttpVerticle(http, store)))
        .mapEmpty();
  }

  /**
   * Warns about an unknown or retiring model, once per distinct endpoint and model (with the first key
   * that uses it); runs in the background and never holds up readiness.
   */
  private void checkModel(ScannerConfig config) {
    Map<ScannerConfig.Model, ApiKey> firstKeyOf = new LinkedHashMap<>();
    for (ApiKey key : config.keys().apiKeys()) firstKeyOf.putIfAbsent(config.keys().providerOf(key), key);
    if (firstKeyOf.isEmpty()) return;
    WebClient client = WebClient.create(vertx);
    List<Future<Void>> checks = new ArrayList<>();
    firstKeyOf.forEach((model, key) -> checks.add(ModelCatalog.checkModel(client, model, key)));
    Future.join(checks).onComplete(ar -> client.close());
  }

  /** Closes Vert.x, then the store, blocking the calling (non-Vert.x) thread for at most {@code timeout}. */
  public void close(Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    // A `scan` run exits as soon as its scan ends: the reviews it paid for are written first.
    Future<Void> written = storedReviews == null ? Future.succeededFuture() : storedReviews.drain();
    while (!written.isComplete() && System.currentTimeMillis() < deadline) Thread.sleep(10);
    Future<Void> closing = vertx.close();
    while (!closing.isComplete() && System.currentTimeMillis() < deadline) Thread.sleep(10);
    if (database != null) database.close();
    closeWorkRoot();
  }

  private Future<Void> closeWorkRoot() {
    if (workRoot == null) return Future.succeededFuture();
    try {
      workRoot.close();
    } catch (java.io.IOException e) {
      // the next start sweeps what is left
    }
    return Future.succeededFuture();
  }

  /**
   * Leaves gracefully, blocking the calling (non-Vert.x) thread: submissions are refused (503),
   * dispatchers lease nothing more, the load entry is withdrawn so nobody recruits or forwards to this
   * worker, keys give back what they pulled and did not send, requests in flight get a few seconds to
   * report, then Vert.x closes and leaves the cluster.
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
    if (database != null) database.close();
    closeWorkRoot();
  }

  private Future<Void> drain() {
    vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put("draining", true);
    vertx.eventBus().publish(Addresses.DRAIN, null, new DeliveryOptions().setLocalOnly(true));
    return new LoadRegistry(vertx).withdraw(nodeId)
        .transform(ar -> keysIdle(System.currentTimeMillis() + DRAIN_MS))
        // Its scans stay in the database, resumable at once by a peer or by the next start: it says it has left.
        .transform(ar -> vertx.eventBus().request(Addresses.leave(nodeId), null, new DeliveryOptions().setSendTimeout(8_000)))
        .transform(ar -> Future.succeededFuture());
  }

  private Future<Void> keysIdle(long deadline) {
    Promise<Void> idle = Promise.promise();
    vertx.setPeriodic(0, 200, id -> {
      int inFlight = vertx.sharedData().<String, JsonObject>getLocalMap(Addresses.KEYS_MAP).values().stream()
          .mapToInt(k -> k.getInteger("inFlight", 0)).sum();
      if (inFlight == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        idle.tryComplete();
      }
    });
    return idle.future();
  }
}
