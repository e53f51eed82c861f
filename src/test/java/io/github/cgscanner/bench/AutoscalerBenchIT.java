package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.it.Http;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -o -Pbench verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AutoscalerBenchIT}:
 * the autoscaler's part played locally from the exported metric. Real clustered worker JVMs on one
 * PostgreSQL, each with its own 4 keys at {@value #RPM} requests per minute (0.3–0.9 s answers);
 * 2 replicas to start, a stream of small (~20-file) and 300-file scans routed to the least-loaded
 * replica, replicas added (up to {@value #MAX}) by {@link ScaleRule} as {@code scanner_scans_waiting}
 * rises, then removed one by one while scans run: SIGTERM, and one kill -9 of a coordinator on the way.
 * Every scan must complete with every planted finding exactly once, few 429s, and an added replica
 * must do its first model request within 10 s of its JVM's start.
 *
 * <p>{@code -Dbench.faults=false} replaces the hand-over and the crash by the behaviour before durable
 * scans: no kill -9, and a replica leaves (SIGTERM) only once it coordinates nothing unfinished.
 */
class AutoscalerBenchIT {
  static final int KEYS_PER_REPLICA = 4;
  static final int RPM = 120;
  static final int MIN = 2;
  static final int MAX = 5;
  static final boolean FAULTS = Boolean.parseBoolean(System.getProperty("bench.faults", "true"));
  static final long UP_MAX_MS = Long.getLong("bench.upMaxSeconds", 180) * 1000;
  static final long AT_MAX_MS = 20_000;
  static final long DOWN_MAX_MS = 150_000;
  static final long DRAIN_MAX_MS = 180_000;
  static final long SCRAPE_MS = 2_000;

  @TempDir static Path tmp;
  final List<String> timeline = new ArrayList<>();
  final List<String> targets = new ArrayList<>();
  boolean allPass = true;
  long t0;

  @Test
  void scalesOnWaitingScansAndLosesNothingWhileReplicasComeAndGo() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < MAX * KEYS_PER_REPLICA; i++) keys.add(ReplicaFleet.key(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(keys.toArray(String[]::new))
        .limit(RPM, 0).latency(600, 0.5).maxPrompts(0).seed(15).build());
    Http.await(sim.start(), 10);
    PostgresServer pg = PostgresServer.start(true);
    Path pw = Files.writeString(tmp.resolve("pw"), pg.password() + "\n");
    Path config = Files.writeString(tmp.resolve("bench.json"), new JsonObject()
        .put("keys", new JsonObject().put("maxInFlightPerKey", 4)).encode());
    ScanStream stream = new ScanStream(tmp, 4, 20, 2, 300);
    ScaleRule rule = new ScaleRule(1.0, MIN, MAX, 10_000, 15_000);
    try (ReplicaFleet fleet = new ReplicaFleet(tmp, sim, pg.newDatabase("autoscaler"), pw, config, KEYS_PER_REPLICA, MAX,
        Map.of("SCANNER_MAX_RUNNING_SCANS", "1", "SCANNER_MAX_QUEUED_SCANS", "16"))) {
      Thread cleanUp = new Thread(() -> {
        try {
          fleet.close();
        } catch (Exception e) {
          // exiting anyway
        }
        pg.close();
      }, "bench-clean-up");
      // Interrupting the bench must not leave worker JVMs or a database behind.
      Runtime.getRuntime().addShutdownHook(cleanUp);
      t0 = System.currentTimeMillis();
      for (int i = 0; i < MIN; i++) fleet.start(i);
      BenchAutoscaler scaler = new BenchAutoscaler(fleet, rule, MAX, FAULTS, stream, t0, this::note);
      Thread watcher = watchFirstRequests(fleet);
      try {
        run(fleet, scaler, stream);
        BenchFigures figures = new BenchFigures(sim, fleet, scaler, stream, t0);
        figures.verifyScans(fleet.ready().get(0).http);
        figures.report(this::target);
      } finally {
        watcher.interrupt();
        if (!allPass) System.out.println(fleet.logs());
      }
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
      pg.close();
      System.out.println("\n=== AutoscalerBenchIT timeline (" + rule + "; faults " + (FAULTS ? "on" : "off") + "; worker JVMs "
          + ReplicaFleet.JVM_OPTIONS + ") ===");
      timeline.forEach(System.out::println);
      System.out.println("\n=== AutoscalerBenchIT targets ===");
      targets.forEach(System.out::println);
    }
    assertTrue(allPass, "some targets failed:\n" + String.join("\n", targets));
  }

  /**
   * Rising load until the rule has held {@value #MAX} replicas for {@value #AT_MAX_MS} ms (or UP_MAX_MS passed), easing
   * load while the rule scales down to {@value #MIN}, then no new scans until every one is final.
   */
  void run(ReplicaFleet fleet, BenchAutoscaler scaler, ScanStream stream) throws Exception {
    // The rising phase starts once the first replicas are ready, whatever their start cost on this machine.
    long upStart = System.currentTimeMillis();
    long upEnd = upStart + UP_MAX_MS;
    long atMaxSince = 0;
    long downEnd = Long.MAX_VALUE;
    long nextScrape = 0;
    long nextSubmit = 0;
    boolean down = false;
    double risingInterval = 2_000;
    for (int n = 0; ; Thread.sleep(100)) {
      long now = System.currentTimeMillis();
      if (!down) {
        if (atMaxSince == 0 && fleet.ready().size() == MAX) atMaxSince = now;
        if (now >= upEnd || (atMaxSince > 0 && now - atMaxSince >= AT_MAX_MS)) {
          down = true;
          downEnd = now + DOWN_MAX_MS;
          note("the load eases");
        }
      }
      if (down && ((scaler.removed() >= MAX - MIN && scaler.idle()) || now > downEnd)) break;
      if (now >= nextSubmit) {
        // rising: every 6th of 300 files, a scan every 2 s at first and ever more often until 5 replicas are ready
        // (how fast they start decides how much load they meet); easing: every 5 s, every 4th of 300 files
        if (!stream.submit(fleet.ready(), n % (down ? 4 : 6) == 0)) note("every replica refused a submission");
        n++;
        if (!down && atMaxSince == 0) risingInterval = 2_000 / (1 + (now - upStart) / 60_000.0);
        nextSubmit = now + (down ? 5_000 : (long) risingInterval);
      }
      if (now >= nextScrape) {
        scaler.tick(down);
        stream.refresh(fleet.ready().get(0).http);
        nextScrape = now + SCRAPE_MS;
      }
    }
    scaler.awaitIdle();
    note("no more submissions: " + stream.submitted.size() + " scans submitted");
    scaler.removals.forEach(this::note);
    long drainEnd = System.currentTimeMillis() + DRAIN_MAX_MS;
    while (stream.refresh(fleet.ready().get(0).http) > 0 && System.currentTimeMillis() < drainEnd) {
      scaler.tick(false);
      Thread.sleep(SCRAPE_MS);
    }
    note("every scan final (or the drain timed out)");
  }

  Thread watchFirstRequests(ReplicaFleet fleet) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        for (Replica r : fleet.all) {
          if (r.firstRequestAt == 0 && fleet.requests(r) > 0) r.firstRequestAt = System.currentTimeMillis();
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "first-requests");
    t.setDaemon(true);
    t.start();
    return t;
  }

  synchronized void note(String line) {
    String stamped = line.startsWith("t=") ? line : String.format(Locale.ROOT, "t=%5.1fs %s", (System.currentTimeMillis() - t0) / 1000.0, line);
    timeline.add(stamped);
    System.out.println("[bench] " + stamped);
  }

  void target(String name, boolean pass, String figure) {
    allPass &= pass;
    targets.add((pass ? "PASS  " : "FAIL  ") + name + ": " + figure);
  }
}
