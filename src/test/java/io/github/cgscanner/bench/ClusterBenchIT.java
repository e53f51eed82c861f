package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.github.cgscanner.it.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -Pbench verify -Dit.test=ClusterBenchIT}: clustered workers (separate JVMs) against a
 * rate-limited simulator in its own JVM. 1 worker versus 2 on a 1,000-file scan (4 keys each, 120
 * requests per minute per key, ~300 ms per answer: the keys are the bottleneck), then 5 workers with 10
 * small scans beside 10 big ones, with tier-1 keys and answers of seconds, and again with the slow keys.
 * {@code -Dbench.mixedOnly=true} skips the first part. Prints a table.
 */
class ClusterBenchIT {
  static final int KEYS_PER_WORKER = 4;
  static final int WORKERS = 5;

  @TempDir static Path tmp;
  static List<String> keys = new ArrayList<>();
  final List<ScannerProcess> workers = new ArrayList<>();
  SimProcess sim;

  @BeforeAll
  static void makeKeys() {
    for (int i = 0; i < WORKERS * KEYS_PER_WORKER; i++) keys.add("sk-bench-key-" + i + "-0000000000000000");
  }

  void startSimulator(int rpm, int latencyMs) throws Exception {
    if (sim != null) sim.close();
    sim = SimProcess.start(List.of("--keys", String.join(",", keys), "--rpm", Integer.toString(rpm),
        "--latency-ms", Integer.toString(latencyMs), "--jitter", "0.2", "--seed", "5"));
  }

  void startCluster(int n) throws Exception {
    stopCluster();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) ports.add(ScannerProcess.freePort());
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "bench-" + UUID.randomUUID();
    for (int w = 0; w < n; w++) {
      Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl(), "CLUSTER_NAME", name, "CLUSTER_HOST", "127.0.0.1",
          "CLUSTER_PORT", Integer.toString(ports.get(w)), "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", w == 0 ? "1" : "2",
          "CLUSTER_EVENTBUS_PORT", Integer.toString(ScannerProcess.freePort()), "SCANNER_STORE", "memory");
      for (int k = 0; k < KEYS_PER_WORKER; k++) {
        env.put(k == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + k, keys.get(w * KEYS_PER_WORKER + k));
      }
      workers.add(ScannerProcess.serve(tmp, env));
    }
    try (Http http = new Http(workers.get(0).baseUrl(), null)) {
      long deadline = System.currentTimeMillis() + 60_000;
      while (http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members").size() < n) {
        assertTrue(System.currentTimeMillis() < deadline, "the cluster did not form");
        Thread.sleep(250);
      }
    }
  }

  void stopCluster() throws Exception {
    for (ScannerProcess p : workers) p.close();
    workers.clear();
  }

  @Test
  void bench() throws Exception {
    List<String> table = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    try {
      if (!Boolean.getBoolean("bench.mixedOnly")) speedup(table, misses);
      // Keys of OpenAI's first paid tier (500 requests per minute) and answers of a few seconds.
      double ratio = mixed(table, 500, 2000);
      if (ratio > 2) misses.add(String.format("a small scan took %.2f× its time alone (target ≤ 2×)", ratio));
      // The keys of the speedup run: reported, not asserted (see mixed()).
      mixed(table, 120, 300);
      assertEquals(List.of(), misses, "missed targets");
    } finally {
      System.out.println("\n| run | time | requests | | |\n|---|---|---|---|---|");
      table.forEach(System.out::println);
      stopCluster();
      if (sim != null) sim.close();
    }
  }

  /** 1 worker versus 2 on the same 1,000-file scan. */
  void speedup(List<String> table, List<String> misses) throws Exception {
    Path bigZip = TestRepo.generate(tmp.resolve("repo-1000"), 1000, 1000).zip(tmp.resolve("repo-1000.zip"));
    startSimulator(120, 300);
    startCluster(1);
    JsonObject one = runAlone(workers.get(0), bigZip);
    startCluster(2);
    JsonObject two = runAlone(workers.get(0), bigZip);
    assertEquals(2, two.getJsonArray("workers").size());
    double t1 = seconds(one);
    double t2 = seconds(two);
    long r1 = one.getJsonObject("usage").getLong("requests");
    long r2 = two.getJsonObject("usage").getLong("requests");
    Matcher m = Pattern.compile("recruited in (\\d+) ms").matcher(workers.get(0).log());
    long recruitMs = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    String recruit = recruitMs == Long.MAX_VALUE ? "n/a" : recruitMs + " ms";
    if (t1 / t2 < 1.8) misses.add(String.format("speedup %.2f× (target ≥ 1.8×)", t1 / t2));
    if (r2 > r1 * 1.05) misses.add(String.format("%+.1f%% extra requests (target ≤ 5%%)", 100.0 * (r2 - r1) / r1));
    if (recruitMs >= 1000) misses.add("peer recruited in " + recruit + " (target < 1 s)");
    table.add(String.format("| 1,000 files, 1 worker  | %6.1f s | %5d requests | | |", t1, r1));
    table.add(String.format("| 1,000 files, 2 workers | %6.1f s | %5d requests | speedup %.2f× | extra requests %+.1f%%, peer recruited in %s |",
        t2, r2, t1 / t2, 100.0 * (r2 - r1) / r1, recruit));
  }

  /**
   * 5 workers: 10 small scans submitted right after 10 big ones, each small one against its time alone.
   * Small scans stay on the worker they were sent to (below the shard threshold), two per worker here:
   * when that worker's keys are slower than their answers ({@code rpm} low against latency), the pair's
   * requests at the keys' rate alone take longer than twice one scan's burst-fed time alone, whatever
   * the scheduling; the last column shows that time for the busiest worker.
   *
   * @return the slowest small scan's time over its time alone
   */
  double mixed(List<String> table, int rpm, int latencyMs) throws Exception {
    startSimulator(rpm, latencyMs);
    startCluster(WORKERS);
    Path smallZip = TestRepo.generate(tmp.resolve("repo-20-" + rpm), 20, 20).zip(tmp.resolve("repo-20-" + rpm + ".zip"));
    Path bigZip = TestRepo.generate(tmp.resolve("repo-400-" + rpm), 400, 400).zip(tmp.resolve("repo-400-" + rpm + ".zip"));
    // Workers in production are long-running: warm each JVM once, as the time alone is measured warm.
    for (ScannerProcess w : workers) runAlone(w, smallZip);
    double alone = seconds(runAlone(workers.get(1), smallZip));
    List<String[]> submitted = new ArrayList<>();
    for (int i = 0; i < 10; i++) submitted.add(new String[] {"big", submit(workers.get(i % WORKERS), bigZip), Integer.toString(i % WORKERS)});
    for (int i = 0; i < 10; i++) submitted.add(new String[] {"small", submit(workers.get(i % WORKERS), smallZip), Integer.toString(i % WORKERS)});
    double worstSmall = 0;
    double worstBig = 0;
    int sharded = 0;
    List<String> smallTimes = new ArrayList<>();
    long[] smallRequestsByWorker = new long[WORKERS];
    try (Http http = new Http(workers.get(0).baseUrl(), null)) {
      for (String[] s : submitted) {
        JsonObject scan = awaitDone(http, s[1], 900);
        assertEquals("completed", scan.getString("status"), scan.encodePrettily());
        if (scan.getBoolean("sharded")) sharded++;
        if (s[0].equals("big")) {
          worstBig = Math.max(worstBig, seconds(scan));
          continue;
        }
        worstSmall = Math.max(worstSmall, seconds(scan));
        smallTimes.add(String.format("%.1f s (worker %d)", seconds(scan), Integer.parseInt(s[2]) + 1));
        smallRequestsByWorker[Integer.parseInt(s[2])] += scan.getJsonObject("usage").getLong("requests");
      }
    }
    double workerRequestsPerSecond = KEYS_PER_WORKER * rpm / 60.0;
    double keyTime = java.util.Arrays.stream(smallRequestsByWorker).max().orElse(0) / workerRequestsPerSecond;
    String regime = String.format("%d rpm/key, %.1f s answers", rpm, latencyMs / 1000.0);
    table.add(String.format("| 5 workers, %s: 20 files alone | %6.1f s | | | |", regime, alone));
    table.add(String.format("| 5 workers, %s: 10 × 20 files beside 10 × 400 | worst small %.1f s (%.2f× alone) | worst big %.1f s "
        + "| %d of 20 sharded | one worker's small-scan requests take its keys %.1f s at their rate |", regime, worstSmall, worstSmall / alone,
        worstBig, sharded, keyTime));
    System.out.println(regime + ": small scans " + String.join(", ", smallTimes) + "; simulator answers by status "
        + sim.stats().getJsonObject("responses").encode());
    return worstSmall / alone;
  }

  static JsonObject runAlone(ScannerProcess worker, Path zip) throws Exception {
    try (Http http = new Http(worker.baseUrl(), null)) {
      String id = submit(worker, zip);
      JsonObject scan = awaitDone(http, id, 900);
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      return scan;
    }
  }

  static String submit(ScannerProcess worker, Path zip) throws Exception {
    try (Http http = new Http(worker.baseUrl(), null)) {
      var r = http.postFile("/api/v1/scans", "application/zip", zip);
      assertEquals(202, r.statusCode(), r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    }
  }

  static JsonObject awaitDone(Http http, String id, int timeoutSeconds) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      JsonObject scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      if (scan.getString("status").matches("completed|failed|cancelled")) return scan;
      Thread.sleep(250);
    }
    throw new AssertionError("scan " + id + " did not finish in " + timeoutSeconds + " s");
  }

  /** From submission to the end, as the service recorded it. */
  static double seconds(JsonObject scan) {
    return Duration.between(Instant.parse(scan.getString("createdAt")), Instant.parse(scan.getString("finishedAt"))).toMillis() / 1000.0;
  }
}
