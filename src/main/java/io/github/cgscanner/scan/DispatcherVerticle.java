package io.github.cgscanner.scan;

import io.github.cgscanner.cli.ScannerNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands review tasks to this worker's key verticles when they ask (pull): a key sends its free slots
 * as credits; the dispatcher leases tasks from the coordinators of the scans that have work (this
 * worker's, or a peer's sharded scan), the scan with the fewest tasks waiting first, so a small scan is
 * never stuck behind a big one. A pull with nothing to give waits here until work arrives or it is
 * time to answer empty.
 */
public class DispatcherVerticle extends VerticleBase {
  private static final long PARK_MS = 20_000;
  /** Tasks leased from one scan per round: small enough to interleave scans, large enough to batch. */
  private static final int PER_SCAN_BATCH = 4;
  /**
   * Tasks handed to one key per pull. A rate-limited key holds what it pulled until its budget allows
   * sending it, so a large handout becomes a queue in front of any scan submitted later.
   */
  private static final int MAX_PER_PULL = 4;

  private record Pull(Message<JsonObject> message, int credits, long parkedAt) {}

  private final Deque<Pull> parked = new ArrayDeque<>();
  /** scanId → coordinator address; iteration order is the round-robin order. */
  private final Map<String, String> sources = new LinkedHashMap<>();
  /** scanId → tasks its coordinator said were still waiting: the scan closest to its end is served first. */
  private final Map<String, Integer> waiting = new HashMap<>();
  private String nodeId;
  private boolean serving;
  /** Shutting down: no more leases, so nothing new is held here when the node leaves. */
  private boolean draining;

  public static String pullAddress(String nodeId) {
    return "scanner.dispatch." + nodeId;
  }

  public static String workAddress(String nodeId) {
    return "scanner.dispatch." + nodeId + ".work";
  }

  @Override
  public Future<?> start() {
    nodeId = config().getString("nodeId");
    vertx.setPeriodic(1000, t -> expireParked());
    vertx.eventBus().localConsumer(ScannerNode.DRAIN_ADDRESS, m -> {
      draining = true;
      sources.clear();
      waiting.clear();
    });
    return Future.all(
        vertx.eventBus().<JsonObject>localConsumer(pullAddress(nodeId), this::onPull).completion(),
        vertx.eventBus().<JsonObject>consumer(workAddress(nodeId), this::onWork).completion());
  }

  private void onPull(Message<JsonObject> pull) {
    int credits = Math.min(MAX_PER_PULL, Math.max(1, pull.body().getInteger("credits", 1)));
    parked.addLast(new Pull(pull, credits, System.currentTimeMillis()));
    serve();
  }

  private void onWork(Message<JsonObject> work) {
    if (draining) return;
    sources.putIfAbsent(work.body().getString("scanId"), work.body().getString("coordinator"));
    serve();
  }

  /** One lease round at a time, so two pulls never race for the same scan's last tasks. */
  private void serve() {
    if (serving || parked.isEmpty() || sources.isEmpty()) return;
    serving = true;
    Pull pull = parked.pollFirst();
    fill(pull, new JsonArray(), sources.size()).onComplete(ar -> {
      JsonArray tasks = ar.succeeded() ? ar.result() : new JsonArray();
      serving = false;
      if (tasks.isEmpty()) {
        parked.addFirst(pull);
      } else {
        pull.message().reply(new JsonObject().put("tasks", tasks));
      }
      serve();
    });
  }

  /**
   * Leases from the scans with the fewest tasks waiting first (a small scan is not held back by a big
   * one), round-robin among equals, until the pull's credits are used or every scan was asked once.
   */
  private Future<JsonArray> fill(Pull pull, JsonArray tasks, int scansLeft) {
    if (tasks.size() >= pull.credits() || scansLeft == 0 || sources.isEmpty()) {
      return Future.succeededFuture(tasks);
    }
    String scanId = nextSource();
    String coordinator = sources.remove(scanId);
    JsonObject lease = new JsonObject().put("type", "lease").put("scanId", scanId).put("holder", nodeId)
        .put("max", Math.min(PER_SCAN_BATCH, pull.credits() - tasks.size()));
    return vertx.eventBus().<JsonObject>request(coordinator, lease, new DeliveryOptions().setSendTimeout(10_000))
        .map(reply -> {
          reply.body().getJsonArray("tasks", new JsonArray()).forEach(tasks::add);
          if (reply.body().getBoolean("more", false)) {
            sources.put(scanId, coordinator);
            waiting.put(scanId, reply.body().getInteger("pending", 0));
          } else {
            waiting.remove(scanId);
          }
          return tasks;
        })
        .recover(err -> {
          waiting.remove(scanId);
          return Future.succeededFuture(tasks);
        })
        .compose(t -> fill(pull, t, scansLeft - 1));
  }

  /** A scan not asked yet counts as nearly done: asking it once tells how much it has. */
  private String nextSource() {
    String best = null;
    int fewest = Integer.MAX_VALUE;
    for (String scanId : sources.keySet()) {
      int n = waiting.getOrDefault(scanId, 0);
      if (n < fewest) {
        best = scanId;
        fewest = n;
      }
    }
    return best;
  }

  private void expireParked() {
    long now = System.currentTimeMillis();
    while (!parked.isEmpty() && now - parked.peekFirst().parkedAt() > PARK_MS) {
      parked.pollFirst().message().reply(new JsonObject().put("tasks", new JsonArray()));
    }
  }
}
