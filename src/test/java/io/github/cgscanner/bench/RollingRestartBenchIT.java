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
 * {@code mvn -B -o -Pbench verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RollingRestartBenchIT}:
 * a deploy's rolling restart. Five clustered worker JVMs on one PostgreSQL (review cache and verification
 * off, one key each, one request in flight per key, {@value #LATENCY_MS} ms answers) run ten scans (eight
 * of ~40 files, two of 300+, two submitted to each worker); then each worker in turn gets SIGTERM, exits,
 * and a new JVM with the same configuration takes its place before the next one goes. Every scan must
 * complete with modelReview done and every planted finding exactly once; the figures are each worker's
 * hand-over and exit times, and the chunks the simulator was asked more than once per restart.
 * {@code -Dbench.handOverSeconds} is the hand-over goal (5 s); {@code -Dbench.restarts=false} runs the same scans without
 * restarts (for the time the restarts cost); {@code -Dbench.latencyMs} the simulator's mean answer time.
 */
class RollingRestartBenchIT {
  static final int WORKERS = 5;
  static final long LATENCY_MS = Long.getLong("bench.latencyMs", 1500);
  static final double HAND_OVER_GOAL_S = Double.parseDouble(System.getProperty("bench.handOverSeconds", "5"));
  /** {@code -Dbench.restarts=false}: the same scans without restarts, for the total time they cost. */
  static final boolean RESTARTS = Boolean.parseBoolean(System.getProperty("bench.restarts", "true"));
  /** Requests a worker may have in flight: one key × one in flight. */
  static final int SLOTS_PER_WORKER = 1;

  @TempDir static Path tmp;
  final List<String> targets = new ArrayList<>();
  boolean allPass = true;
  long t0;

  @Test
  void everyScanCompletesWhileAllFiveWorkersAreRestartedOneAfterAnother() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) keys.add(ReplicaFleet.key(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(keys.toArray(String[]::new))
        .latency(LATENCY_MS, 0.2).seed(13).build());
    Http.await(sim.start(), 10);
    PostgresServer pg = PostgresServer.shared();
    Path pw = Files.writeString(tmp.resolve("pw"), pg.password() + "\n");
    Path config = Files.writeString(tmp.resolve("bench.json"), new JsonObject()
        .put("keys", new JsonObject().put("maxInFlightPerKey", SLOTS_PER_WORKER)).encode());
    // Distinct repos (seeds), so a chunk asked twice is a chunk of one scan asked twice.
    ScanStream stream = new ScanStream(tmp, 8, 40, 2, 300);
    List<RollingRestart> restarts = new ArrayList<>();
    try (ReplicaFleet fleet = new ReplicaFleet(tmp, sim, pg.newDatabase("rolling"), pw, config, 1, WORKERS,
        Map.of("SCANNER_REVIEW_VERIFY", "off", "SCANNER_MAX_RUNNING_SCANS", "10"))) {
      Thread cleanUp = new Thread(() -> {
        try {
          fleet.close();
        } catch (Exception e) {
          // exiting anyway
        }
      }, "bench-clean-up");
      // Interrupting the bench must not leave worker JVMs behind.
      Runtime.getRuntime().addShutdownHook(cleanUp);
      t0 = System.currentTimeMillis();
      Replica[] workers = startAll(fleet);
      note("five workers ready");
      submit(stream, workers);
      awaitPrepared(stream, workers[0].http);
      note("ten scans past preparation");
      long restartsFrom = System.currentTimeMillis();
      for (int i = 0; i < (RESTARTS ? WORKERS : 0); i++) {
        RollingRestart step = new RollingRestart(workers[i]);
        restarts.add(step);
        step.terminate(stream, workers[(i + 1) % WORKERS].http, 60_000);
        workers[i] = fleet.start(i);
        step.replacement = workers[i];
        step.readyAt = workers[i].readyAt;
        note(step.figure());
      }
      long restartsDone = System.currentTimeMillis();
      long drainEnd = restartsDone + 240_000;
      for (int open; (open = stream.refresh(workers[0].http)) > 0 && System.currentTimeMillis() < drainEnd; Thread.sleep(1000)) {
        if ((System.currentTimeMillis() - restartsDone) % 20_000 < 1000) note(open + " scans open; " + requestsByKey(sim));
      }
      long finished = System.currentTimeMillis();
      note("every scan final (or 240 s passed); " + requestsByKey(sim));
      report(sim, stream, restarts, workers[0].http);
      target("INFO times", true, String.format(Locale.ROOT, "five workers ready after %.1f s; %d restarts took %.1f s; "
          + "scans final %.1f s after their preparation (%.1f s after the last replacement was ready)",
          (restartsFrom - t0) / 1000.0, restarts.size(), (restartsDone - restartsFrom) / 1000.0, (finished - restartsFrom) / 1000.0,
          (finished - restartsDone) / 1000.0));
      for (Replica r : fleet.all) target("INFO start " + r.name() + " (" + r.nodeId + ")", true, StartPhases.of(r));
      if (!allPass) System.out.println(fleet.logs());
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
      System.out.println("\n=== RollingRestartBenchIT (" + WORKERS + " workers, " + LATENCY_MS + " ms answers, worker JVMs "
          + ReplicaFleet.JVM_OPTIONS + ") ===");
      targets.forEach(System.out::println);
    }
    assertTrue(allPass, "some targets failed:\n" + String.join("\n", targets));
  }

  /** The first worker alone (the cluster's first member), then the other four side by side. */
  private static Replica[] startAll(ReplicaFleet fleet) throws Exception {
    Replica[] workers = new Replica[WORKERS];
    workers[0] = fleet.start(0);
    List<Thread> starting = new ArrayList<>();
    Exception[] failed = new Exception[1];
    for (int i = 1; i < WORKERS; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          workers[index] = fleet.start(index);
        } catch (Exception e) {
          failed[0] = e;
        }
      }, "start-r" + i);
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) t.join();
    if (failed[0] != null) throw failed[0];
    return workers;
  }

  /** Two scans per worker: the big ones to the last two, which go last, so the scans still run at the last restart. */
  private static void submit(ScanStream stream, Replica[] workers) throws Exception {
    for (int i = 0; i < 2 * WORKERS; i++) {
      Replica to = workers[i % WORKERS];
      boolean big = i == 2 * WORKERS - 1 || i == 2 * WORKERS - 2;
      if (!stream.submit(List.of(to), big)) throw new AssertionError(to.name() + " refused a submission");
    }
  }

  /** A scan still being prepared when its coordinator leaves is failed (its upload is not kept): wait until none is. */
  private static void awaitPrepared(ScanStream stream, Http http) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      stream.refresh(http);
      if (stream.submitted.stream().map(s -> stream.last.get(s.id()))
          .noneMatch(j -> j == null || j.getString("status", "queued").matches("queued|fetching"))) return;
      Thread.sleep(200);
    }
    throw new AssertionError("scans still being prepared after 120 s");
  }

  private void report(ModelSimulator sim, ScanStream stream, List<RollingRestart> restarts, Http http) throws Exception {
    int complete = 0;
    int[] planted = new int[5];
    List<String> not = new ArrayList<>();
    for (ScanStream.Submitted s : stream.submitted) {
      JsonObject scan = http.get("/api/v1/scans/" + s.id()).bodyAsJsonObject();
      if (s.id().equals(scan.getString("id")) && "completed".equals(scan.getString("status"))
          && "done".equals(scan.getString("modelReview"))) complete++;
      else not.add(s.repo().name() + " " + scan.getString("status") + "/" + scan.getString("modelReview") + " "
          + scan.getJsonObject("progress", new JsonObject()).encode());
      int[] c = ScanStream.check(s.repo().repo(), http.get("/api/v1/scans/" + s.id() + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      for (int i = 0; i < c.length; i++) planted[i] += c[i];
    }
    int n = stream.submitted.size();
    target("every scan completed with modelReview done, under its id", complete == n,
        complete + " of " + n + (not.isEmpty() ? "" : "; not: " + String.join(", ", not)));
    target("every planted finding exactly once", planted[1] == planted[0] && planted[3] == 0 && planted[4] == 0,
        String.format(Locale.ROOT, "%d of %d planted reported, %d missing, %d twice, %d never planted",
            planted[1], planted[0], planted[2], planted[3], planted[4]));
    if (restarts.isEmpty()) return;
    double worst = 0;
    for (RollingRestart r : restarts) {
      target("INFO restart " + r.figure(), true, "");
      worst = r.handOverSeconds() < 0 ? Double.MAX_VALUE : Math.max(worst, r.handOverSeconds());
    }
    target(String.format(Locale.ROOT, "hand-over ≤ %.0f s per worker", HAND_OVER_GOAL_S), worst <= HAND_OVER_GOAL_S,
        String.format(Locale.ROOT, "worst %.1f s", worst));
    Map<String, Long> perChunk = RollingRestart.requestsPerChunk(sim.prompts());
    long twice = perChunk.values().stream().filter(x -> x > 1).count();
    long extra = perChunk.values().stream().mapToLong(x -> x - 1).sum();
    long notOk = notOk(sim);
    // The leaving worker's requests, and those of its scans' tasks on the peers' keys whose answers went to it.
    int inFlight = WORKERS * SLOTS_PER_WORKER;
    target("only chunks in flight at a fault asked again (≤ " + inFlight + " per restart)", twice <= (long) inFlight * restarts.size(),
        String.format(Locale.ROOT, "%d chunks, %d asked more than once (%d extra requests) over %d restarts: %.2f chunks, "
            + "%.2f extra requests per restart, %.4f of the chunks; %d review requests in all, %d answers other than 200",
            perChunk.size(), twice, extra,
            restarts.size(), (double) twice / restarts.size(), (double) extra / restarts.size(),
            perChunk.isEmpty() ? 0 : (double) twice / perChunk.size(), sim.prompts().size(), notOk));
  }

  /** Model requests per worker's key so far: a key that stops asking is capacity the scans did not use. */
  private static String requestsByKey(ModelSimulator sim) {
    JsonObject byKey = sim.stats().getJsonObject("requests");
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) parts.add("r" + i + " " + byKey.getLong("key-" + i, 0L));
    return "model requests by worker key: " + String.join(", ", parts);
  }

  private static long notOk(ModelSimulator sim) {
    long n = 0;
    JsonObject byLabel = sim.stats().getJsonObject("responses");
    for (String label : byLabel.fieldNames()) {
      JsonObject byStatus = byLabel.getJsonObject(label);
      for (String status : byStatus.fieldNames()) if (!status.equals("200")) n += byStatus.getLong(status);
    }
    return n;
  }

  private void note(String line) {
    System.out.println(String.format(Locale.ROOT, "[bench] t=%5.1fs %s", (System.currentTimeMillis() - t0) / 1000.0, line));
  }

  private void target(String name, boolean pass, String figure) {
    allPass &= pass;
    targets.add((pass ? "PASS  " : "FAIL  ") + name + (figure.isEmpty() ? "" : ": " + figure));
  }
}
