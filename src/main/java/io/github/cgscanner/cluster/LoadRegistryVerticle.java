package io.github.cgscanner.cluster;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.Load;
import io.github.cgscanner.llm.BudgetStats;
import io.github.cgscanner.protocol.KeyState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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

  /**
   * @param httpHost the HTTP bind address; a wildcard bind is reached through {@code publicHost}
   */
  public record Settings(String nodeId, int maxRunning, int maxQueued, String httpHost, String publicHost,
      Map<String, String> keyHashes) {}

  private final Settings settings;
  private LoadRegistry registry;
  private CoordinatorClient coordinator;
  private long timer;
  private boolean draining;

  public LoadRegistryVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    registry = new LoadRegistry(vertx);
    coordinator = new CoordinatorClient(vertx.eventBus());
    vertx.eventBus().localConsumer(Addresses.DRAIN, m -> {
      draining = true;
      vertx.cancelTimer(timer);
    });
    timer = vertx.setPeriodic(0, PERIOD_MS, t -> refresh());
    return Future.succeededFuture();
  }

  private void refresh() {
    coordinator.load(settings.nodeId(), PERIOD_MS)
        .onSuccess(load -> {
          if (draining) return;
          JsonObject entry = entry(load);
          vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put(LoadRegistry.SELF_KEY, entry);
          registry.publish(entry, TTL_MS);
        });
  }

  private JsonObject entry(Load load) {
    List<JsonObject> keys = new ArrayList<>();
    vertx.sharedData().<String, JsonObject>getLocalMap(Addresses.KEYS_MAP).values().forEach(k -> keys.add(k.copy()));
    keys.sort(Comparator.comparing(k -> k.getString("key")));
    // Hashes, never keys: peers learn which keys this worker shares with them, not what they are.
    JsonArray usable = new JsonArray();
    keys.stream().filter(k -> !KeyState.fromJson(k).disabled())
        .map(k -> settings.keyHashes().get(k.getString("key"))).filter(Objects::nonNull).sorted().forEach(usable::add);
    return new JsonObject()
        .put("keyHashes", usable)
        .put("budgetMessages", BudgetStats.messages(vertx))
        .put("nodeId", settings.nodeId())
        .put("httpAddress", httpAddress())
        .put("running", load.running())
        .put("queued", load.queued())
        .put("backlog", load.backlog())
        .put("maxRunning", settings.maxRunning())
        .put("maxQueued", settings.maxQueued())
        .put("freeSlots", LoadRegistry.freeSlots(keys))
        .put("keys", new JsonArray(new ArrayList<>(keys)))
        .put("updatedAt", System.currentTimeMillis());
  }

  /** Where clients reach this worker's HTTP API; a wildcard bind is reached through the cluster's public host. */
  private String httpAddress() {
    Object port = vertx.sharedData().getLocalMap(Addresses.NODE_MAP).get("httpPort");
    String host = settings.httpHost();
    if (host.equals("0.0.0.0") || host.equals("::")) host = settings.publicHost();
    return port == null ? null : host + ":" + port;
  }
}
