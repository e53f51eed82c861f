package io.github.cgscanner.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The autoscaler's part, played from the exported metric: every scrape period it reads each ready
 * replica's {@code GET /metrics}, feeds {@code scanner_scans_waiting} to the {@link ScaleRule} and
 * starts or removes replicas. Removal is SIGTERM with a grace period (the newest replica first, as a
 * ReplicaSet picks), except one kill -9 of a coordinator on the way down when faults are on.
 */
final class BenchAutoscaler {
  record Sample(long at, int replicas, double waiting, double backlog, int desired) {}

  static final int GRACE_SECONDS = 70;

  final List<Sample> samples = new CopyOnWriteArrayList<>();
  final List<String> removals = new CopyOnWriteArrayList<>();
  int peakReplicas;
  double peakWaiting;
  double peakBacklog;
  private final ReplicaFleet fleet;
  private final ScaleRule rule;
  private final int maxReplicas;
  private final boolean faults;
  private final ScanStream stream;
  private final Consumer<String> log;
  private CompletableFuture<?> starting = CompletableFuture.completedFuture(null);
  private CompletableFuture<?> removing = CompletableFuture.completedFuture(null);
  private int removed;
  private final long t0;

  BenchAutoscaler(ReplicaFleet fleet, ScaleRule rule, int maxReplicas, boolean faults, ScanStream stream, long t0, Consumer<String> log) {
    this.fleet = fleet;
    this.rule = rule;
    this.maxReplicas = maxReplicas;
    this.faults = faults;
    this.stream = stream;
    this.t0 = t0;
    this.log = log;
  }

  /** One scrape period: scrape, decide, act. Scale-down only when {@code mayScaleDown} (the load has eased). */
  void tick(boolean mayScaleDown) throws Exception {
    List<Replica> ready = fleet.ready();
    double waiting = 0;
    double backlog = 0;
    for (Replica r : ready) {
      try {
        r.load = ScrapedLoad.parse(r.http.get("/metrics").bodyAsString());
        r.routedSinceScrape = 0;
      } catch (Exception e) {
        log.accept(r.name() + ": scrape failed (" + e.getMessage() + ")");
        continue;
      }
      // The same cluster-wide figure on every worker: take the max, never the sum.
      waiting = Math.max(waiting, r.load.waiting());
      backlog = Math.max(backlog, r.load.backlog());
    }
    long now = System.currentTimeMillis();
    int current = ready.size() + (starting.isDone() ? 0 : 1);
    int desired = rule.decide(now, waiting, current);
    samples.add(new Sample(now, ready.size(), waiting, backlog, desired));
    peakReplicas = Math.max(peakReplicas, ready.size());
    peakWaiting = Math.max(peakWaiting, waiting);
    peakBacklog = Math.max(peakBacklog, backlog);
    log.accept(String.format(Locale.ROOT, "t=%5.1fs ready=%d waiting=%.0f backlog=%.0f desired=%d loads=%s", (now - t0) / 1000.0,
        ready.size(), waiting, backlog, desired, ready.stream().map(r -> r.name() + ":" + r.routingLoad()).toList()));
    if (desired > current && starting.isDone() && fleet.all.size() < maxReplicas) scaleUp();
    else if (desired < current && mayScaleDown && removing.isDone() && starting.isDone() && scaleDown(ready)) rule.scaledDown(now);
  }

  private void scaleUp() {
    int index = fleet.all.size();
    starting = CompletableFuture.runAsync(() -> {
      try {
        Replica r = fleet.start(index);
        log.accept(String.format(Locale.ROOT, "r%d ready %.1f s after its JVM started", index, (r.readyAt - r.startedAt) / 1000.0));
      } catch (Exception e) {
        log.accept("r" + index + " did not start: " + e.getMessage());
      }
    });
  }

  private boolean scaleDown(List<Replica> ready) {
    boolean kill = faults && removed == 1;
    Replica victim = faults ? busiestCoordinator(ready) : newest(ready);
    if (victim == null) return false;
    removed++;
    victim.leaving = true;
    removing = CompletableFuture.runAsync(() -> {
      try {
        awaitRemovable(victim);
        long at = System.currentTimeMillis() - t0;
        long open = stream.openOn(victim.nodeId);
        long scanning = stream.scanningOn(victim.nodeId);
        if (kill) {
          ReplicaFleet.kill(victim);
          victim.ending = "kill -9";
          removals.add(String.format(Locale.ROOT, "t=%.1fs kill -9 %s, coordinating %d scans being reviewed", at / 1000.0, victim.name(),
              scanning));
        } else {
          double exit = ReplicaFleet.terminate(victim, GRACE_SECONDS);
          victim.ending = exit < 0 ? "SIGTERM, killed after the grace period" : String.format(Locale.ROOT, "SIGTERM, exited in %.1f s", exit);
          removals.add(String.format(Locale.ROOT, "t=%.1fs SIGTERM %s, coordinating %d unfinished scans (%d being reviewed): %s",
              at / 1000.0, victim.name(), open, scanning, victim.ending));
        }
      } catch (Exception e) {
        removals.add("removing " + victim.name() + " failed: " + e);
      }
    });
    return true;
  }

  private static Replica newest(List<Replica> ready) {
    return ready.stream().max(Comparator.comparingInt(r -> r.index)).orElse(null);
  }

  /** With faults, the replica with the most scans under review: the hardest case for a hand-over or a take-over. */
  private Replica busiestCoordinator(List<Replica> ready) {
    return ready.stream().max(Comparator.comparingLong((Replica r) -> stream.scanningOn(r.nodeId)).thenComparingInt(r -> r.index))
        .orElse(null);
  }

  /**
   * The leaving replica is out of routing already. Without faults it is signalled once its scans are over
   * (no hand-over before durable scans). With faults, once none of its scans is an upload still waiting to
   * be prepared: such an upload lives on that worker's disk, and a scan whose upload is gone may fail with
   * a clear code (issue 13), so the bench does not count on it.
   */
  private void awaitRemovable(Replica victim) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline
        && (faults ? stream.unpreparedOn(victim.nodeId) : stream.openOn(victim.nodeId)) > 0) {
      Thread.sleep(250);
    }
  }

  int removed() {
    return removed;
  }

  boolean idle() {
    return starting.isDone() && removing.isDone();
  }

  void awaitIdle() throws Exception {
    CompletableFuture.allOf(starting, removing).get();
  }

  List<Sample> samples() {
    return new ArrayList<>(samples);
  }
}
