package io.github.cgscanner.scan;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this worker is known to be alive in a durable store, and how it leaves. Alive: a heartbeat every
 * few seconds, which the others watch ({@link CoordinatorLoss#takeOverSilent}). Leaving (SIGTERM, once
 * its keys are idle): each scan it coordinates is written out, dropped from its memory and handed to the
 * least-loaded peer, which wins it by the compare-and-set on its owner version, resumes it and only then
 * answers; then the heartbeat stops and is withdrawn, so that a scan no peer took (the last worker of a
 * cluster, a standalone one) is resumed by whoever starts next, at once.
 */
final class Presence {
  private static final Logger LOG = LoggerFactory.getLogger(Presence.class);
  static final long HEARTBEAT_MS = 3_000;
  /** How long a peer may take to resume a scan handed to it before the next is asked. */
  private static final long ADOPT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final String nodeId;
  private final ScanStore store;
  private final RunningScans scans;
  private final ScanLifecycle lifecycle;
  private final EventLog log;
  private final TaskJournal journal;
  private long beating = -1;
  private Future<Void> lastHeartbeat = Future.succeededFuture();

  Presence(Vertx vertx, String nodeId, ScanStore store, RunningScans scans, ScanLifecycle lifecycle, EventLog log, TaskJournal journal) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.store = store;
    this.scans = scans;
    this.lifecycle = lifecycle;
    this.log = log;
    this.journal = journal;
  }

  /** @param loss resumes a scan handed to this worker by a peer that leaves */
  Future<Void> start(CoordinatorLoss loss) {
    beating = vertx.setPeriodic(0, HEARTBEAT_MS, t -> lastHeartbeat = store.heartbeat(nodeId)
        .onFailure(err -> LOG.debug("heartbeat not written: {}", err.getMessage())));
    var bus = vertx.eventBus();
    bus.<Void>localConsumer(Addresses.leave(nodeId), m -> leave().onComplete(ar -> m.reply(null)));
    if (!vertx.isClustered()) return Future.succeededFuture();
    return bus.<JsonObject>consumer(Addresses.adopt(nodeId), m -> {
      String scanId = m.body().getString("scanId");
      loss.adopt(scanId).onComplete(ar -> m.reply(new JsonObject().put("scanId", scanId).put("resumed", ar.succeeded() && ar.result())));
    }).completion();
  }

  private Future<Void> leave() {
    vertx.cancelTimer(beating);
    long started = System.currentTimeMillis();
    List<ScanRun> running = scans.all().stream().filter(r -> !r.finished()).toList();
    Future<Void> handed = vertx.isClustered() && !running.isEmpty()
        ? new LoadRegistry(vertx).members().compose(members -> handOver(running, peers(members)))
        : Future.join(log.wholeAll(), journal.settleAll(scans)).mapEmpty();
    return handed.transform(ar -> lastHeartbeat).transform(ar -> store.leave(nodeId))
        .onComplete(ar -> {
          if (!running.isEmpty()) {
            LOG.info("left: {} scan(s) handed over or left resumable in {} ms", running.size(), System.currentTimeMillis() - started);
          }
        });
  }

  /** Peers by load, least first (this worker withdrew its own entry when it began to drain). */
  private List<String> peers(List<JsonObject> members) {
    return members.stream().filter(e -> !nodeId.equals(e.getString("nodeId")))
        .sorted(java.util.Comparator.<JsonObject>comparingInt(e -> e.getInteger("running", 0) + e.getInteger("queued", 0))
            .thenComparingInt(e -> -e.getInteger("freeSlots", 0)))
        .map(e -> e.getString("nodeId")).toList();
  }

  private Future<Void> handOver(List<ScanRun> running, List<String> peers) {
    List<Future<Void>> all = new ArrayList<>();
    int next = 0;
    for (ScanRun run : running) {
      long started = System.currentTimeMillis();
      lifecycle.release(run);
      // Spread over the peers, least loaded first: one peer need not take every scan of a leaving worker.
      List<String> order = new ArrayList<>(peers);
      if (!order.isEmpty()) java.util.Collections.rotate(order, -(next++ % order.size()));
      all.add(Future.join(log.whole(run.id), journal.settled(run)).transform(ar -> {
            log.forget(run.id);
            journal.forget(run.id);
            return ask(run.id, order, 0);
          })
          .onSuccess(peer -> {
            if (peer == null) LOG.info("scan {}: no peer took it; it stays resumable in the database", run.id);
            else LOG.info("scan {}: handed over to {} in {} ms", run.id, peer, System.currentTimeMillis() - started);
          }).mapEmpty());
    }
    return Future.join(all).mapEmpty();
  }

  /** @return the peer that acknowledged the scan (it resumed it, or found it resumed already), or null */
  private Future<String> ask(String scanId, List<String> peers, int i) {
    if (i >= peers.size()) return Future.succeededFuture();
    String peer = peers.get(i);
    return vertx.eventBus().<JsonObject>request(Addresses.adopt(peer), new JsonObject().put("scanId", scanId),
            new DeliveryOptions().setSendTimeout(ADOPT_TIMEOUT_MS))
        .map(reply -> peer)
        .recover(err -> {
          LOG.warn("scan {}: peer {} did not take it ({}); asking the next", scanId, peer, err.getMessage());
          return ask(scanId, peers, i + 1);
        });
  }
}
