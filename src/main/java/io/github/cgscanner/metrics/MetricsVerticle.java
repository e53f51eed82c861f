package io.github.cgscanner.metrics;

import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.llm.BudgetStats;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this worker's Prometheus series from what the other verticles already publish: key states on
 * {@code scanner.keys.<nodeId>}, model calls on {@link KeyVerticle#callsAddress}, scan events (seen as
 * they leave for {@code scanner.scan.<scanId>.events}) and the coordinator's load. Also logs each key
 * state change. Config: {@code {"nodeId", "scanner": ScannerConfig JSON}}. Does nothing when Vert.x runs
 * without metrics.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  private static final String SCAN_EVENTS_PREFIX = "scanner.scan.";
  private static final String SCAN_EVENTS_SUFFIX = ".events";
  private static final long LOAD_PERIOD_MS = 1_000;

  private final List<Meter> keyMeters = new ArrayList<>();
  private MeterRegistry registry;
  private ScanMeters scans;
  private CallMeters calls;
  private Handler<DeliveryContext<Object>> interceptor;

  @Override
  public Future<?> start() {
    registry = MetricsSetup.registry();
    String nodeId = config().getString("nodeId");
    ScannerConfig config = ScannerConfig.fromJson(config().getJsonObject("scanner"));
    if (registry == null) {
      LOG.debug("Vert.x runs without metrics: no Prometheus series");
      return Future.succeededFuture();
    }
    String coordinator = ScanCoordinatorVerticle.address(nodeId);
    KeyMeters keys = new KeyMeters(registry, nodeId);
    scans = new ScanMeters(registry, nodeId);
    calls = new CallMeters(registry, nodeId, coordinator);
    List<String> aliases = config.keys().apiKeys().stream().map(ApiKey::alias).toList();
    keyMeters.addAll(keys.register(aliases));
    if (vertx.isClustered()) keyMeters.addAll(keys.registerShared(aliases, () -> BudgetStats.messages(vertx)));

    vertx.sharedData().<String, JsonObject>getLocalMap(KeyVerticle.KEYS_MAP).values().forEach(keys::update);
    vertx.eventBus().<JsonObject>localConsumer("scanner.keys." + nodeId, m -> {
      String before = keys.update(m.body());
      String now = m.body().getString("state");
      if (before != null && !before.equals(now)) LOG.info("{} {} -> {}", m.body().getString("key"), before, now);
    });
    vertx.eventBus().<JsonObject>localConsumer(KeyVerticle.callsAddress(nodeId), m -> calls.onCall(m.body()));

    // Events leave from the coordinator's event loop; they are counted on this verticle's, one thread for all.
    var context = vertx.getOrCreateContext();
    interceptor = dc -> {
      String address = dc.message().address();
      if (address.startsWith(SCAN_EVENTS_PREFIX) && address.endsWith(SCAN_EVENTS_SUFFIX)
          && dc.body() instanceof JsonObject event) {
        String scanId = address.substring(SCAN_EVENTS_PREFIX.length(), address.length() - SCAN_EVENTS_SUFFIX.length());
        context.runOnContext(v -> scans.onEvent(scanId, event.getString("type", ""), event.getJsonObject("data")));
      }
      dc.next();
    };
    vertx.eventBus().addOutboundInterceptor(interceptor);

    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(LOAD_PERIOD_MS * 5);
    vertx.setPeriodic(0, LOAD_PERIOD_MS, t -> vertx.eventBus()
        .<JsonObject>request(coordinator, new JsonObject().put("type", "load"), local)
        .onSuccess(m -> scans.load(m.body().getInteger("running", 0), m.body().getInteger("queued", 0))));
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
