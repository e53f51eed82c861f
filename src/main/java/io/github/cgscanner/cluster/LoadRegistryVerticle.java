package io.github.cgscanner.cluster;

import io.github.cgscanner.cli.ScannerNode;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.http.HttpVerticle;
import io.github.cgscanner.llm.BudgetStats;
import io.github.cgscanner.llm.KeyScheduler;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes this worker's load about every second into {@link LoadRegistry#MAP} with a short TTL, so
 * a worker that dies drops out of the registry by itself. A draining worker withdraws its entry at once.
 */
public class LoadRegistryVerticle extends VerticleBase {
  static final long PERIOD_MS = 1_000;
  static final long TTL_MS = 3_000;

  private LoadRegistry registry;
  private ScannerConfig config;
  private String nodeId;
  private long timer;
  private boolean draining;

  @Override
  public Future<?> start() {
    nodeId = config().getString("nodeId");
    config = ScannerConfig.fromJson(config().getJsonObject("scanner"));
    registry = new LoadRegistry(vertx);
    vertx.eventBus().localConsumer(ScannerNode.DRAIN_ADDRESS, m -> {
      draining = true;
      vertx.cancelTimer(timer);
    });
    timer = vertx.setPeriodic(0, PERIOD_MS, t -> refresh());
    return Future.succeededFuture();
  }

  private void refresh() {
    vertx.eventBus().<JsonObject>request(ScanCoordinatorVerticle.address(nodeId), new JsonObject().put("type", "load"),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(PERIOD_MS))
        .onSuccess(reply -> {
          if (draining) return;
          JsonObject entry = entry(reply.body());
          vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).put(LoadRegistry.SELF_KEY, entry);
          registry.publish(entry, TTL_MS);
        });
  }

  private JsonObject entry(JsonObject load) {
    List<JsonObject> keys = new ArrayList<>();
    vertx.sharedData().<String, JsonObject>getLocalMap(KeyVerticle.KEYS_MAP).values().forEach(k -> keys.add(k.copy()));
    keys.sort(Comparator.comparing(k -> k.getString("key")));
    Map<String, String> hashes = new HashMap<>();
    config.keys().apiKeys().forEach(k -> hashes.put(k.alias(), k.hash()));
    JsonArray usable = new JsonArray();
    keys.stream().filter(k -> !KeyScheduler.DISABLED.equals(k.getString("state")))
        .map(k -> hashes.get(k.getString("key"))).filter(Objects::nonNull).sorted().forEach(usable::add);
    return new JsonObject()
        .put("keyHashes", usable)
        .put("budgetMessages", BudgetStats.messages(vertx))
        .put("nodeId", nodeId)
        .put("httpAddress", httpAddress())
        .put("running", load.getInteger("running", 0))
        .put("queued", load.getInteger("queued", 0))
        .put("maxRunning", config.scan().maxRunning())
        .put("maxQueued", config.scan().maxQueued())
        .put("freeSlots", LoadRegistry.freeSlots(keys))
        .put("keys", new JsonArray(new ArrayList<>(keys)))
        .put("updatedAt", System.currentTimeMillis());
  }

  /** Where clients reach this worker's HTTP API; a wildcard bind is reached through the cluster's public host. */
  private String httpAddress() {
    Object port = vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).get("httpPort");
    String host = config.http().host();
    if (host.equals("0.0.0.0") || host.equals("::")) host = config.cluster().publicHost();
    return port == null ? null : host + ":" + port;
  }
}
