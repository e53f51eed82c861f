package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.LeaseRequest;
import io.github.cgscanner.protocol.Pull;
import io.github.cgscanner.protocol.PullReply;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.WorkAvailable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hands review tasks to this worker's key verticles when they ask (pull): a key sends its free slots
 * as credits; the dispatcher leases tasks from the coordinators of the scans that have work (this
 * worker's, or a peer's sharded scan), the scan with the fewest tasks waiting first, so a small scan is
 * never stuck behind a big one. A pull with nothing to give waits here until work arrives or it is
 * time to answer empty. A scan restricted to some models ({@code options.models}, announced with its
 * work) is leased only for pulls of keys serving one of them: its tasks never reach another provider. Nothing leased is ever dropped: a lease round that timed out, and tasks for a
 * pull that its key no longer waits for, are released back to their coordinator at once.
 */
public class DispatcherVerticle extends VerticleBase {
  private static final long PARK_MS = 20_000;
  /** A pull older than this is not answered with tasks: its key may have stopped waiting. */
  private static final long FRESH_PULL_MS = Pull.TIMEOUT_MS - 10_000;
  /** Tasks leased from one scan per round: small enough to interleave scans, large enough to batch. */
  private static final int PER_SCAN_BATCH = 4;
  /**
   * Tasks handed to one key per pull. A rate-limited key holds what it pulled until its budget allows
   * sending it, so a large handout becomes a queue in front of any scan submitted later.
   */
  private static final int MAX_PER_PULL = 4;

  private record Parked(Message<JsonObject> message, int credits, String model, long parkedAt) {}

  private record Leased(String coordinator, ReviewTask task) {}

  private final String nodeId;
  private final Deque<Parked> parked = new ArrayDeque<>();
  /** scanId → coordinator node; iteration order is the round-robin order. */
  private final Map<String, String> sources = new LinkedHashMap<>();
  /** scanId → tasks its coordinator said were still waiting: the scan closest to its end is served first. */
  private final Map<String, Integer> waiting = new HashMap<>();
  /** scanId → its news of work, which says which keys' models may take it. */
  private final Map<String, WorkAvailable> work = new HashMap<>();
  private CoordinatorClient coordinators;
  private boolean serving;
  /** Shutting down: no more leases, so nothing new is held here when the node leaves. */
  private boolean draining;

  public DispatcherVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    coordinators = new CoordinatorClient(vertx.eventBus());
    vertx.setPeriodic(1000, t -> expireParked());
    vertx.eventBus().localConsumer(Addresses.DRAIN, m -> {
      draining = true;
      sources.clear();
      waiting.clear();
      work.clear();
    });
    return Future.all(
        vertx.eventBus().<JsonObject>localConsumer(Addresses.pull(nodeId), this::onPull).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.work(nodeId), this::onWork).completion());
  }

  private void onPull(Message<JsonObject> pull) {
    Pull p = Pull.fromJson(pull.body());
    int credits = Math.min(MAX_PER_PULL, Math.max(1, p.credits()));
    parked.addLast(new Parked(pull, credits, p.model(), System.currentTimeMillis()));
    serve();
  }

  private void onWork(Message<JsonObject> message) {
    if (draining) return;
    WorkAvailable news = WorkAvailable.fromJson(message.body());
    sources.putIfAbsent(news.scanId(), news.coordinator());
    work.put(news.scanId(), news);
    serve();
  }

  /**
   * One lease round at a time, so two pulls never race for the same scan's last tasks. The first pull
   * that some scan may serve goes first; the others wait for work of their models.
   */
  private void serve() {
    if (serving || parked.isEmpty() || sources.isEmpty()) return;
    Parked pull = parked.stream().filter(p -> eligible(p.model()) > 0).findFirst().orElse(null);
    if (pull == null) return;
    serving = true;
    parked.removeFirstOccurrence(pull);
    fill(pull, new ArrayList<>(), eligible(pull.model())).onComplete(ar -> {
      List<Leased> tasks = ar.result();
      serving = false;
      if (tasks.isEmpty()) {
        parked.addFirst(pull);
      } else if (System.currentTimeMillis() - pull.parkedAt() > FRESH_PULL_MS) {
        giveBack(tasks);
      } else {
        pull.message().reply(new PullReply(tasks.stream().map(Leased::task).toList()).toJson());
      }
      serve();
    });
  }

  /**
   * Leases from the scans with the fewest tasks waiting first (a small scan is not held back by a big
   * one), round-robin among equals, until the pull's credits are used or every scan was asked once.
   */
  private Future<List<Leased>> fill(Parked pull, List<Leased> tasks, int scansLeft) {
    String scanId = nextSource(pull.model());
    if (tasks.size() >= pull.credits() || scansLeft == 0 || scanId == null) return Future.succeededFuture(tasks);
    String coordinator = sources.remove(scanId);
    String round = UUID.randomUUID().toString();
    LeaseRequest request = new LeaseRequest(scanId, nodeId, Math.min(PER_SCAN_BATCH, pull.credits() - tasks.size()), round);
    return coordinators.lease(coordinator, request)
        .map(grant -> {
          grant.tasks().forEach(t -> tasks.add(new Leased(coordinator, t)));
          if (grant.more()) {
            sources.put(scanId, coordinator);
            waiting.put(scanId, grant.pending());
          } else {
            waiting.remove(scanId);
            work.remove(scanId);
          }
          return tasks;
        })
        .recover(err -> {
          // The answer may have been lost after the coordinator granted: what it granted goes back now.
          coordinators.release(coordinator, LeaseRelease.ofRound(scanId, round));
          waiting.remove(scanId);
          work.remove(scanId);
          return Future.succeededFuture(tasks);
        })
        .compose(t -> fill(pull, t, scansLeft - 1));
  }

  private void giveBack(List<Leased> tasks) {
    Map<String, List<ReviewTask>> byScan = new LinkedHashMap<>();
    Map<String, String> coordinatorOf = new HashMap<>();
    for (Leased l : tasks) {
      byScan.computeIfAbsent(l.task().scanId(), k -> new ArrayList<>()).add(l.task());
      coordinatorOf.put(l.task().scanId(), l.coordinator());
    }
    byScan.forEach((scanId, list) -> coordinators.release(coordinatorOf.get(scanId), LeaseRelease.ofTasks(scanId, list)));
  }

  /** Scans with work that a key of {@code model} may take. */
  private int eligible(String model) {
    int n = 0;
    for (String scanId : sources.keySet()) {
      if (allows(scanId, model)) n++;
    }
    return n;
  }

  private boolean allows(String scanId, String model) {
    WorkAvailable news = work.get(scanId);
    return news == null || news.allows(model);
  }

  /** A scan not asked yet counts as nearly done: asking it once tells how much it has. Null when none is for {@code model}. */
  private String nextSource(String model) {
    String best = null;
    int fewest = Integer.MAX_VALUE;
    for (String scanId : sources.keySet()) {
      if (!allows(scanId, model)) continue;
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
      parked.pollFirst().message().reply(new PullReply(List.of()).toJson());
    }
  }
}
