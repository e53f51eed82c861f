package io.github.cgscanner.metrics;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.llm.BudgetStats;
import io.github.cgscanner.config.ScannerConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this worker's Prometheus series from what the other verticles already publish: key states on
 * {@code scanner.keys.<nodeId>}, model calls on {@link KeyVerticle#callsAddress}, scan events (seen as
 * they leave for their scan's events address) and the coordinator's load. Also logs each key state
 * change. Does nothing when Vert.x runs without metrics.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  private static final long LOAD_PERIOD_MS = 1_000;

  private final String nodeId;
  private final Map<String, ScannerConfig.Model> keyProviders;
  private final List<String> keyAliases;
  private final List<Meter> keyMeters = new ArrayList<>();
  private MeterRegistry registry;
  private ScanMeters scans;
  private CallMeters calls;
  private Handler<DeliveryContext<Object>> interceptor;

  /** @param keyProviders each key's provider by alias: labels of its info series, never the key */
  public MetricsVerticle(String nodeId, Map<String, ScannerConfig.Model> keyProviders) {
    this.nodeId = nodeId;
    this.keyProviders = keyProviders;
    this.keyAliases = List.copyOf(keyProviders.keySet());
  }

  @Override
  public Future<?> start() {
    registry = MetricsSetup.registry();
    if (registry == null) {
      LOG.debug("Vert.x runs without metrics: no Prometheus series");
      return Future.succeededFuture();
    }
    KeyMeters keys = new KeyMeters(registry, nodeId);
    scans = new ScanMeters(registry, nodeId);
    calls = new CallMeters(registry, nodeId, Addresses.results(nodeId));
    keyMeters.addAll(keys.register(keyAliases));
    keyMeters.addAll(keys.registerProviders(keyProviders));
    if (vertx.isClustered()) keyMeters.addAll(keys.registerShared(keyAliases, () -> BudgetStats.messages(vertx)));

    vertx.sharedData().<String, JsonObject>getLocalMap(Addresses.KEYS_MAP).values().forEach(keys::update);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.keyStates(nodeId), m -> {
      String before = keys.update(m.body());
      String now = m.body().getString("state");
      if (before != null && !before.equals(now)) LOG.info("{} {} -> {}", m.body().getString("key"), before, now);
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.calls(nodeId), m -> calls.onCall(m.body()));

    // Events leave from the coordinator's event loop; they are counted on this verticle's, one thread for all.
    var context = vertx.getOrCreateContext();
    interceptor = dc -> {
      String scanId = Addresses.scanIdOfEvents(dc.message().address());
      if (scanId != null && dc.body() instanceof JsonObject event) {
        context.runOnContext(v -> scans.onEvent(scanId, event.getString("type", ""), event.getJsonObject("data")));
      }
      dc.next();
    };
    vertx.eventBus().addOutboundInterceptor(interceptor);

    CoordinatorClient coordinator = new CoordinatorClient(vertx.eventBus());
    LoadRegistry cluster = new LoadRegistry(vertx);
    vertx.setPeriodic(0, LOAD_PERIOD_MS, t -> {
      coordinator.load(nodeId, LOAD_PERIOD_MS * 5).onSuccess(load -> scans.load(load.running(), load.queued()));
      cluster.members().onSuccess(scans::cluster);
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (interceptor != null) vertx.eventBus().removeOutboundInterceptor(interceptor);
    if (scans != null) {
      keyMeters.forEach(registry::remove);
      scans.meters().forEach(registry::remove);
      calls.meters().forEach(registry::remove);
    }
    return Future.succeededFuture();
  }
}
