package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -Pbench verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SharedKeysBenchIT}:
 * replicas of one worker, all holding the same 4 keys (600 requests per minute each, 1 s ± 20% answers,
 * a one-second burst, rate headers), each coordinating a scan bigger than the keys can serve in the
 * run. First two replicas without a cluster (each paces itself to the keys' full limits: the problem),
 * then a cluster of 2 → 4 → 3 replicas (two join after 45 s, one leaves with SIGTERM at 90 s) sharing
 * the keys' budgets. Prints, per window, the 429 share and the dispatch efficiency (requests admitted ÷
 * the 4 keys' bound), and the cost: budget messages per model request and the wait for a share.
 */
class SharedKeysBenchIT {
  static final int KEYS = 4;
  static final int RPM = 600;
  static final double BOUND_PER_SECOND = KEYS * RPM / 60.0;
  static final long PHASE_MS = 45_000;

  @TempDir static Path tmp;
  final List<String> table = new ArrayList<>();
  final List<String> targets = new ArrayList<>();
  boolean allPass = true;
  SimProcess sim;
  Path config;
  List<String> keys;

  /** A simulator snapshot: requests admitted and refused so far, over every key. */
  record Mark(long at, long admitted, long refused) {
    static Mark of(SimProcess sim) throws Exception {
      JsonObject budgets = sim.stats().getJsonObject("budgets");
      long admitted = 0;
      long refused = 0;
      for (String b : budgets.fieldNames()) {
        admitted += budgets.getJsonObject(b).getLong("admitted");
        refused += budgets.getJsonObject(b).getLong("refused");
      }
      return new Mark(System.currentTimeMillis(), admitted, refused);
    }
  }

  @Test
  void replicasShareTheirKeysBudgets() throws Exception {
    keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) keys.add("sk-bench-shared-" + i + "-0123456789abcdef");
    config = tmp.resolve("bench.json");
    Files.writeString(config, new JsonObject()
        .put("model", new JsonObject().put("maxChunkTokens", 512).put("maxCompletionTokens", 1024).put("requestTimeout", "30s"))
        .put("keys", new JsonObject().put("maxInFlightPerKey", 64))
        .put("log", new JsonObject().put("level", System.getProperty("bench.logLevel", "warn"))).encode());
    try {
      if (!Boolean.getBoolean("bench.clusterOnly")) withoutCluster();
      cluster();
    } finally {
      if (sim != null) sim.close();
      System.out.println("\n=== SharedKeysBenchIT: 4 keys × " + RPM + " RPM (bound " + BOUND_PER_SECOND + " requests/s), 1 s ± 20% answers ===");
      System.out.println("| window | replicas | seconds | requests | 429s | 429 share | efficiency |");
      System.out.println("|---|---|---|---|---|---|---|");
      table.forEach(System.out::println);
      System.out.println("\n=== SharedKeysBenchIT targets ===");
      targets.forEach(System.out::println);
    }
    assertTrue(allPass, "some targets failed:\n" + String.join("\n", targets));
  }

  /** Two replicas that do not know of each other: today's behaviour of replicas without a shared budget. */
  void withoutCluster() throws Exception {
    sim = startSimulator();
    List<ScannerProcess> alone = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) alone.add(ScannerProcess.serve(tmp, keyEnv(), "--no-cluster", "--config", config.toString()));
      for (int i = 0; i < 2; i++) ClusterBenchIT.submit(alone.get(i), repo("alone-" + i, 2_000).zip);
      Mark start = awaitFirstRequest();
      Thread.sleep(10_000);
      Mark from = Mark.of(sim);
      Thread.sleep(20_000);
      row("2 replicas, no cluster (after 10 s)", "2", from, Mark.of(sim));
      row("  of which the first 10 s", "2", start, from);
    } finally {
      for (ScannerProcess p : alone) p.process().destroyForcibly().waitFor();
      sim.close();
    }
  }

  void cluster() throws Exception {
    sim = startSimulator();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 4; i++) ports.add(ScannerProcess.freePort());
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "bench-" + UUID.randomUUID();
    List<ScannerProcess> replicas = new ArrayList<>();
    long messages = 0;
    try {
      for (int i = 0; i < 2; i++) replicas.add(join(name, members, ports.get(i), i == 0 ? 1 : 2));
      ClusterBenchIT.submit(replicas.get(0), repo("r1", 4_000).zip);
      ClusterBenchIT.submit(replicas.get(1), repo("r2", 4_000).zip);
      BenchRepo r3 = repo("r3", 2_000);
      BenchRepo r4 = repo("r4", 1_000);
      Mark start = awaitFirstRequest();
      Mark at30 = trace(start, 30);
      sleepUntil(start.at() + PHASE_MS);
      Mark two = Mark.of(sim);
      // The two new replicas start side by side, as an autoscaler would start them.
      List<CompletableFuture<ScannerProcess>> joining = new ArrayList<>();
      for (int i = 2; i < 4; i++) {
        int port = ports.get(i);
        joining.add(CompletableFuture.supplyAsync(() -> {
          try {
            return join(name, members, port, 2);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<ScannerProcess> j : joining) replicas.add(j.get());
      ClusterBenchIT.submit(replicas.get(2), r3.zip);
      ClusterBenchIT.submit(replicas.get(3), r4.zip);
      Mark four = Mark.of(sim);
      sleepUntil(four.at() + PHASE_MS);
      Mark leaving = Mark.of(sim);
      ScannerProcess last = replicas.remove(3);
      messages += selfEntry(last).getLong("budgetMessages", 0L);
      last.close();
      Mark three = Mark.of(sim);
      sleepUntil(three.at() + PHASE_MS);
      Mark end = Mark.of(sim);

      JsonArray keyStates = new JsonArray();
      for (ScannerProcess r : replicas) {
        JsonObject self = selfEntry(r);
        messages += self.getLong("budgetMessages", 0L);
        self.getJsonArray("keys").forEach(keyStates::add);
      }
      row("first 30 s (learning the limits)", "2", start, at30);
      row("2 replicas (30–45 s)", "2", at30, two);
      row("2 → 4: two replicas join", "2→4", two, four);
      row("4 replicas", "4", four, leaving);
      row("4 → 3: one leaves (SIGTERM)", "4→3", leaving, three);
      row("3 replicas", "3", three, end);
      row("**after the first 30 s**", "2→4→3", at30, end);

      long refusedLate = end.refused() - at30.refused();
      long allLate = end.admitted() + end.refused() - at30.admitted() - at30.refused();
      double lateShare = (double) refusedLate / allLate;
      double efficiency = (end.admitted() - at30.admitted()) / (BOUND_PER_SECOND * (end.at() - at30.at()) / 1000.0);
      target("429s after the first 30 s < 2% of requests", lateShare < 0.02, pct(lateShare));
      target("dispatch efficiency after the first 30 s >= 0.9 of the 4 keys' bound", efficiency >= 0.9, fmt(efficiency));
      long requests = end.admitted() + end.refused() - start.admitted() - start.refused();
      double perRequest = (double) messages / requests;
      target("budget messages per model request < 0.2", perRequest < 0.2,
          String.format(Locale.ROOT, "%.3f (%d messages for %d requests, 4 replicas' included)", perRequest, messages, requests));
      long waits = 0;
      long waitMs = 0;
      for (Object o : keyStates) {
        waits += ((JsonObject) o).getLong("sliceWaits", 0L);
        waitMs += ((JsonObject) o).getLong("sliceWaitMs", 0L);
      }
      targets.add(String.format(Locale.ROOT, "INFO  added latency: %d waits for a share (a key with work and none), %d ms in all, "
          + "%.1f ms per wait, %.2f ms per request (the three replicas left)", waits, waitMs, waits == 0 ? 0.0 : (double) waitMs / waits,
          (double) waitMs / requests));
    } finally {
      for (ScannerProcess p : replicas) p.close();
    }
  }

  SimProcess startSimulator() throws Exception {
    return SimProcess.start(List.of("--keys", String.join(",", keys), "--rpm", Integer.toString(RPM), "--latency-ms", "1000",
        "--jitter", "0.2", "--burst-seconds", "1", "--seed", "14"));
  }

  ScannerProcess join(String cluster, String members, int port, int minSize) throws Exception {
    Map<String, String> env = keyEnv();
    env.putAll(ScannerProcess.env("CLUSTER_NAME", cluster, "CLUSTER_HOST", "127.0.0.1", "CLUSTER_PORT", Integer.toString(port),
        "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", Integer.toString(minSize),
        "CLUSTER_EVENTBUS_PORT", Integer.toString(ScannerProcess.freePort()),
        // Each replica keeps its own scan: the run measures shared keys, not sharding.
        "SCANNER_SHARD_THRESHOLD", "100000"));
    return ScannerProcess.serve(tmp, env, "--config", config.toString());
  }

  Map<String, String> keyEnv() {
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl());
    for (int k = 0; k < KEYS; k++) env.put(k == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + k, keys.get(k));
    return env;
  }

  BenchRepo repo(String name, int files) throws Exception {
    return BenchRepo.generate(tmp.resolve(name + ".zip"), name, files, 24, name.hashCode());
  }

  static JsonObject selfEntry(ScannerProcess replica) throws Exception {
    try (Http http = new Http(replica.baseUrl(), null)) {
      return http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members").getJsonObject(0);
    }
  }

  Mark awaitFirstRequest() throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (sim.stats().getLong("firstRequestAt") == 0) {
      assertTrue(System.currentTimeMillis() < deadline, "no model request within 2 minutes");
      Thread.sleep(50);
    }
    return Mark.of(sim);
  }

  /** Prints the requests admitted and refused second by second for {@code seconds}: where the 429s of the start are. */
  Mark trace(Mark from, int seconds) throws Exception {
    StringBuilder line = new StringBuilder("[bench] admitted/refused per second from the first request:");
    Mark last = from;
    for (int i = 1; i <= seconds; i++) {
      sleepUntil(from.at() + i * 1000L);
      Mark m = Mark.of(sim);
      line.append(' ').append(m.admitted() - last.admitted()).append('/').append(m.refused() - last.refused());
      last = m;
    }
    System.out.println(line);
    return last;
  }

  void row(String window, String replicas, Mark from, Mark to) {
    double seconds = (to.at() - from.at()) / 1000.0;
    long admitted = to.admitted() - from.admitted();
    long refused = to.refused() - from.refused();
    table.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %d | %s | %s |", window, replicas, seconds, admitted + refused,
        refused, pct(admitted + refused == 0 ? 0 : (double) refused / (admitted + refused)),
        fmt(admitted / (BOUND_PER_SECOND * seconds))));
  }

  void target(String name, boolean pass, String figure) {
    allPass &= pass;
    targets.add((pass ? "PASS  " : "FAIL  ") + name + ": " + figure);
  }

  static void sleepUntil(long at) throws InterruptedException {
    long ms = at - System.currentTimeMillis();
    if (ms > 0) Thread.sleep(ms);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", v * 100);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
