package io.github.cgscanner.scan;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.cluster.Membership;
import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordinates the scans submitted to this worker: the only writer of their state. Requests arrive on
 * {@code scanner.coordinator.<nodeId>} with a {@code type}: {@code submit}, {@code cancel},
 * {@code lease} (a dispatcher asks for tasks), {@code result} (a key answers a task), {@code load}.
 */
public class ScanCoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScanCoordinatorVerticle.class);
  public static final String BLOCKING_POOL = "scanner-blocking";

  private final Set<String> gone = new HashSet<>();
  private ScanLifecycle lifecycle;
  private ScanWork work;
  private ScanStore store;
  private WorkerExecutor blocking;
  private CoordinatorLoss loss;

  public static String address(String nodeId) {
    return "scanner.coordinator." + nodeId;
  }

  @Override
  public Future<?> start() {
    ScannerConfig config = ScannerConfig.fromJson(config().getJsonObject("scanner"));
    String nodeId = config().getString("nodeId");
    store = new ScanStore(vertx);
    // Twice the cores: preparation is partly disk work, and a small scan's should not wait for two big ones.
    blocking = vertx.createSharedWorkerExecutor(BLOCKING_POOL, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    KeyStates keys = new KeyStates(config.keys().apiKeys().size());
    // The scan's own dispatcher and those of the peers it was shared with (gone ones aside).
    WorkNotifier notifier = s -> {
      JsonObject work = new JsonObject().put("scanId", s.id).put("coordinator", address(nodeId));
      for (String worker : s.workers) {
        if (!gone.contains(worker)) vertx.eventBus().send(DispatcherVerticle.workAddress(worker), work);
      }
    };
    EventLog log = new EventLog(vertx, store);
    lifecycle = new ScanLifecycle(vertx, config, nodeId, blocking, log, keys, notifier, new LoadRegistry(vertx));
    work = new ScanWork(vertx, config, nodeId, log, keys, notifier, lifecycle);
    loss = new CoordinatorLoss(vertx, store, nodeId);
    vertx.eventBus().<JsonObject>localConsumer("scanner.keys." + nodeId, m -> keys.update(m.body()));
    vertx.eventBus().<JsonObject>localConsumer(Membership.ADDRESS, m -> memberLeft(m.body().getString("left")));
    vertx.setPeriodic(500, t -> lifecycle.tick(gone));
    vertx.setPeriodic(60_000, t -> lifecycle.expire(store));
    return vertx.eventBus().<JsonObject>consumer(address(nodeId), this::onMessage).completion();
  }

  private void onMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    String type = body.getString("type", "");
    try {
      switch (type) {
        case "result" -> work.onResult(body);
        case "lease" -> message.reply(work.lease(body));
        case "submit" -> reply(message, lifecycle.submit(body));
        case "cancel" -> reply(message, cancel(body.getString("scanId")));
        case "load" -> message.reply(new JsonObject().put("running", lifecycle.running()).put("queued", lifecycle.queued()));
        default -> message.fail(400, "unknown request type");
      }
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("coordinator could not handle a '{}' request", type, e);
      message.fail(500, "internal error");
    }
  }

  /** Leases its keys held go back to the queue at once; scans it coordinated are failed by one survivor. */
  private void memberLeft(String lost) {
    if (lost == null || lost.equals(config().getString("nodeId"))) return;
    gone.add(lost);
    lifecycle.tick(gone);
    loss.takeOver(lost)
        .onSuccess(ids -> {
          if (!ids.isEmpty()) LOG.warn("took over {} scan(s) of the lost worker {}: {}", ids.size(), lost, ids);
        })
        .onFailure(err -> LOG.warn("could not look for the scans of the lost worker {}: {}", lost, err.getMessage()));
  }

  /** A scan taken over from a lost coordinator is known only to the store, and it has finished. */
  private Future<JsonObject> cancel(String scanId) {
    if (lifecycle.scans.containsKey(scanId)) return lifecycle.cancel(scanId);
    return store.getScan(scanId).compose(s -> Future.failedFuture(s == null
        ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "not found")
        : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, s.getString("status"))));
  }

  private static void reply(Message<JsonObject> message, Future<JsonObject> result) {
    result.onSuccess(message::reply).onFailure(err -> {
      if (err instanceof ReplyException re) message.fail(re.failureCode(), re.getMessage());
      else message.fail(500, "internal error");
    });
  }

  @Override
  public Future<?> stop() {
    return blocking == null ? Future.succeededFuture() : blocking.close();
  }
}
