package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.github.cgscanner.it.TestRepo;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -Pbench verify -Dit.test=ClusterBenchIT}: clustered workers (separate JVMs) against a
 * rate-limited simulator in its own JVM (120 requests per minute per key, ~300 ms per answer).
 * 1 worker versus 2 on a 1,000-file scan (4 keys each), then 5 workers with 10 small scans beside 10
 * big ones. Prints a table.
 */
class ClusterBenchIT {
  static final int KEYS_PER_WORKER = 4;
  static final int WORKERS = 5;

  @TempDir static Path tmp;
  static Process simulator;
  static String simUrl;
  static List<String> keys = new ArrayList<>();
  final List<ScannerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void startSimulator() throws Exception {
    for (int i = 0; i < WORKERS * KEYS_PER_WORKER; i++) keys.add("sk-bench-key-" + i + "-0000000000000000");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    simulator = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "io.github.cgscanner.sim.ModelSimulatorMain", "--keys", String.join(",", keys), "--rpm", "120",
        "--latency-ms", "300", "--jitter", "0.2", "--seed", "5").redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("SIMULATOR_PORT=")) {
        simUrl = "http://127.0.0.1:" + line.substring("SIMULATOR_PORT=".length()).trim() + "/v1";
        break;
      }
    }
    assertTrue(simUrl != null, "the simulator did not start");
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
    drain.setDaemon(true);
    drain.start();
  }

  @AfterAll
  static void stopSimulator() {
    if (simulator != null) simulator.destroyForcibly();
  }

  void startCluster(int n) throws Exception {
    stopCluster();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) ports.add(ScannerProcess.freePort());
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "bench-" + UUID.randomUUID();
    for (int w = 0; w < n; w++) {
      Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", simUrl, "CLUSTER_NAME", name, "CLUSTER_HOST", "127.0.0.1",
          "CLUSTER_PORT", Integer.toString(ports.get(w)), "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", w == 0 ? "1" : "2");
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
    TestRepo big = TestRepo.generate(tmp.resolve("repo-1000"), 1000, 1000);
    Path bigZip = big.zip(tmp.resolve("repo-1000.zip"));
    List<String> table = new ArrayList<>();
    try {
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
      String recruit = m.find() ? m.group(1) + " ms" : "n/a";
      table.add(String.format("| 1,000 files, 1 worker  | %6.1f s | %5d requests | | |", t1, r1));
      table.add(String.format("| 1,000 files, 2 workers | %6.1f s | %5d requests | speedup %.2f× | extra requests %+.1f%%, peer recruited in %s |",
          t2, r2, t1 / t2, 100.0 * (r2 - r1) / r1, recruit));

      startCluster(WORKERS);
      TestRepo small = TestRepo.generate(tmp.resolve("repo-20"), 20, 20);
      Path smallZip = small.zip(tmp.resolve("repo-20.zip"));
      TestRepo mid = TestRepo.generate(tmp.resolve("repo-400"), 400, 400);
      Path midZip = mid.zip(tmp.resolve("repo-400.zip"));
      // Workers in production are long-running: warm each JVM once, as the time alone is measured warm.
      for (ScannerProcess w : workers) runAlone(w, smallZip);
      double alone = seconds(runAlone(workers.get(1), smallZip));
      List<String[]> submitted = new ArrayList<>();
      for (int i = 0; i < 10; i++) submitted.add(new String[] {"big", submit(workers.get(i % WORKERS), midZip), Integer.toString(i % WORKERS)});
      for (int i = 0; i < 10; i++) submitted.add(new String[] {"small", submit(workers.get(i % WORKERS), smallZip), Integer.toString(i % WORKERS)});
      double worstSmall = 0;
      String worstSmallId = null;
      double worstBig = 0;
      int sharded = 0;
      try (Http http = new Http(workers.get(0).baseUrl(), null)) {
        for (String[] s : submitted) {
          JsonObject scan = awaitDone(http, s[1], 900);
          assertEquals("completed", scan.getString("status"), scan.encodePrettily());
          if (s[0].equals("small") && seconds(scan) > worstSmall) worstSmallId = s[1];
          if (s[0].equals("small")) worstSmall = Math.max(worstSmall, seconds(scan));
          else worstBig = Math.max(worstBig, seconds(scan));
          if (scan.getBoolean("sharded")) sharded++;
        }
      }
      table.add(String.format("| 5 workers: 20 files alone | %6.1f s | | | |", alone));
      table.add(String.format("| 5 workers: 10 × 20 files beside 10 × 400 | worst small %.1f s (%.2f× alone) | worst big %.1f s | %d of 20 sharded | |",
          worstSmall, worstSmall / alone, worstBig, sharded));
      // Where the slowest small scan spent its time: its coordinator's log lines.
      for (ScannerProcess w : workers) {
        for (String line : w.log().lines().toList()) {
          if (worstSmallId != null && line.contains(worstSmallId)) System.out.println("worst small: " + line);
        }
      }
      System.out.println("\n| run | time | requests | | |\n|---|---|---|---|---|");
      table.forEach(System.out::println);
      assertTrue(worstSmall <= 2 * alone, "a small scan took more than twice its time alone: " + worstSmall + " s vs " + alone + " s");
    } finally {
      table.forEach(System.out::println);
      stopCluster();
    }
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
