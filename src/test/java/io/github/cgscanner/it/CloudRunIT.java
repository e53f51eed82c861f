package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Cloud Run-like instances: {@code serve --no-cluster} JVMs with no event bus between them, on one
 * real PostgreSQL, holding the same four keys, against a simulator that enforces each key's limit
 * (120 requests per minute, announced in rate headers). Each coordinates a scan of its own. A scan
 * submitted to A is followed live over SSE from B (PostgreSQL notices, not the 2 s look at the store)
 * and read whole from B; together they stay within the keys' limits. The same pair with a database
 * each (nothing shared) shows that the limits bind.
 */
class CloudRunIT {
  static final String[] KEYS = {"sk-test-cloudrun-k0-0123456789abcdef", "sk-test-cloudrun-k1-0123456789abcdef",
      "sk-test-cloudrun-k2-0123456789abcdef", "sk-test-cloudrun-k3-0123456789abcdef"};
  static final int RPM = 120;
  static final int FILES = 32;

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;
  static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).limit(RPM, 0).latency(300, 0.25).seed(15).build());
    Http.await(sim.start(), 10);
    Files.writeString(tmp.resolve("pw"), PostgresServer.shared().password() + "\n");
    // Small chunks: a scan is a hundred requests or so, a few seconds past the keys' burst.
    config = Files.writeString(tmp.resolve("small-chunks.json"), new JsonObject().put("model", new JsonObject().put("maxChunkTokens", 2048)
        .put("maxCompletionTokens", 1024)).encode());
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  static Map<String, String> env(String dbUrl) {
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("SCANNER_REVIEW_CACHE_TTL", "0");
    if (dbUrl != null) {
      env.putAll(ScannerProcess.env("SCANNER_DB_URL", dbUrl, "SCANNER_DB_USER", PostgresServer.USER,
          "SCANNER_DB_PASSWORD_FILE", tmp.resolve("pw").toString(), "SCANNER_DB_POOL_SIZE", "4"));
    }
    return env;
  }

  @Test
  void instancesOnOneDatabaseFollowEachOthersScansLiveAndShareTheirKeys() throws Exception {
    String url = PostgresServer.shared().newDatabase("cloudrun_it");
    TestRepo repoA = TestRepo.generate(tmp.resolve("repo-a"), FILES, 151);
    TestRepo repoB = TestRepo.generate(tmp.resolve("repo-b"), FILES, 152);
    ExecutorService readers = Executors.newFixedThreadPool(3);
    try (ScannerProcess a = ScannerProcess.serve(tmp, env(url), "--no-cluster", "--config", config.toString());
         ScannerProcess b = ScannerProcess.serve(tmp, env(url), "--no-cluster", "--config", config.toString());
         Http httpA = new Http(a.baseUrl(), null);
         Http httpB = new Http(b.baseUrl(), null)) {
      try {
        followEachOther(a, b, httpA, httpB, repoA, repoB, readers);
      } catch (AssertionError | Exception e) {
        System.out.println("=== A\n" + a.log() + "\n=== B\n" + b.log() + "\n=== workers\n" + workers(url));
        throw e;
      }
    } finally {
      readers.shutdownNow();
    }
  }

  private void followEachOther(ScannerProcess a, ScannerProcess b, Http httpA, Http httpB, TestRepo repoA, TestRepo repoB,
      ExecutorService readers) throws Exception {
    long before = responses(200) + responses(429);
    long refusedBefore = responses(429);
    long started = System.nanoTime();
    String onA = ClusterIT.submit(httpA, repoA.zip(tmp.resolve("a.zip")));
    String onB = ClusterIT.submit(httpB, repoB.zip(tmp.resolve("b.zip")));
    Map<Long, Long> seenOnA = new ConcurrentHashMap<>();
    Map<Long, Long> seenOnB = new ConcurrentHashMap<>();
    Future<Http.SseResult> fromA = readers.submit(() -> httpA.events(onA, null, 180, e -> arrived(seenOnA, e)));
    Future<Http.SseResult> fromB = readers.submit(() -> httpB.events(onA, null, 180, e -> arrived(seenOnB, e)));
    Future<Http.SseResult> otherWay = readers.submit(() -> httpA.events(onB, null, 180));
    long followed = System.nanoTime();
    // A cancel sent to B reaches A's coordinator through the database.
    String toCancel = ClusterIT.submit(httpA, repoB.zip(tmp.resolve("c.zip")));
    var cancelled = httpB.delete("/api/v1/scans/" + toCancel);
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("cancelled", cancelled.bodyAsJsonObject().getString("status"));
    assertEquals("cancelled", httpA.get("/api/v1/scans/" + toCancel).bodyAsJsonObject().getString("status"));

    Http.SseResult local = fromA.get();
    Http.SseResult remote = fromB.get();
    JsonObject done = ClusterIT.lastEvent(remote);
    assertEquals("completed", done.getString("status"), done.encodePrettily());
    assertEquals(ids(local), ids(remote), "B streams A's scan whole: the same events, in order");
    for (int i = 0; i < remote.events().size(); i++) assertEquals(Long.toString(i + 1), remote.events().get(i).id(), "consecutive ids");
    assertEquals("completed", ClusterIT.lastEvent(otherWay.get()).getString("status"), "and A streams B's");

    // Events A streamed well after both readers caught up with the replay were stored while B followed live.
    List<Long> lagMs = new ArrayList<>();
    seenOnA.forEach((seq, at) -> {
      Long atB = seenOnB.get(seq);
      if (atB != null && at - followed > 3_000_000_000L) lagMs.add(Math.max(0, (atB - at) / 1_000_000));
    });
    lagMs.sort(null);
    assertTrue(lagMs.size() >= 20, "live events seen by both: " + lagMs.size());
    long median = lagMs.get(lagMs.size() / 2);
    long p95 = lagMs.get((int) (lagMs.size() * 0.95));

    EndToEndIT.assertPlantedExactlyOnce(repoA, httpB.get("/api/v1/scans/" + onA + "/findings").bodyAsJsonObject().getJsonArray("findings"));
    ApiAssert.awaitFinal(httpB, onB, 60);
    EndToEndIT.assertPlantedExactlyOnce(repoB, httpA.get("/api/v1/scans/" + onB + "/findings").bodyAsJsonObject().getJsonArray("findings"));
    assertEquals(StoreRestartIT.Snapshot.read(httpA, onA), StoreRestartIT.Snapshot.read(httpB, onA), "status, findings, SARIF and replay alike from both");
    List<String> listedOnB = httpB.get("/api/v1/scans").bodyAsJsonObject().getJsonArray("scans").stream()
        .map(o -> ((JsonObject) o).getString("id")).toList();
    assertTrue(listedOnB.containsAll(List.of(onA, onB, toCancel)), "B lists every scan: " + listedOnB);

    long refused = responses(429) - refusedBefore;
    long answered = responses(200) + responses(429) - before;
    double share = (double) refused / answered;
    System.out.printf("CloudRunIT: two instances, one PostgreSQL, 4 keys x %d rpm: 2 scans of %d files in %.1f s, %d requests, "
        + "%d answered 429 (%.1f%%); A's events on B after A streamed them: median %d ms, p95 %d ms, max %d ms (%d live events)%n",
        RPM, FILES, (System.nanoTime() - started) / 1e9, answered, refused, 100 * share, median, p95, lagMs.get(lagMs.size() - 1), lagMs.size());
    assertTrue(median < 500, "live, not the 2 s look at the store: median " + median + " ms");
    assertTrue(share < 0.05, "429s: " + refused + " of " + answered);
    for (String log : List.of(a.log(), b.log())) {
      for (String key : KEYS) assertFalse(log.contains(key), "a key leaked");
      assertFalse(log.contains(PostgresServer.shared().password()), "the password leaked");
    }
  }

  @Test
  void withoutTheSharedDatabaseTheSameTwoInstancesOverrunTheKeys() throws Exception {
    TestRepo repoA = TestRepo.generate(tmp.resolve("alone-a"), FILES / 2, 153);
    TestRepo repoB = TestRepo.generate(tmp.resolve("alone-b"), FILES / 2, 154);
    try (ScannerProcess a = ScannerProcess.serve(tmp, env(null), "--no-cluster", "--config", config.toString());
         ScannerProcess b = ScannerProcess.serve(tmp, env(null), "--no-cluster", "--config", config.toString());
         Http httpA = new Http(a.baseUrl(), null);
         Http httpB = new Http(b.baseUrl(), null)) {
      long before = responses(200) + responses(429);
      long refusedBefore = responses(429);
      long started = System.nanoTime();
      String onA = ClusterIT.submit(httpA, repoA.zip(tmp.resolve("alone-a.zip")));
      String onB = ClusterIT.submit(httpB, repoB.zip(tmp.resolve("alone-b.zip")));
      assertEquals("completed", ApiAssert.awaitFinal(httpA, onA, 180).getString("status"));
      assertEquals("completed", ApiAssert.awaitFinal(httpB, onB, 180).getString("status"));
      long refused = responses(429) - refusedBefore;
      long answered = responses(200) + responses(429) - before;
      System.out.printf("CloudRunIT: the same two instances with a database each: 2 scans of %d files in %.1f s, %d requests, %d answered 429 (%.1f%%)%n",
          FILES / 2, (System.nanoTime() - started) / 1e9, answered, refused, 100.0 * refused / answered);
      assertTrue(refused > answered / 10, "the keys' limits bind when nothing is shared: " + refused + " of " + answered);
    }
  }

  /** The heartbeats in the database, for a failure's report. */
  private static String workers(String url) {
    try (var c = java.sql.DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.shared().password());
         var rows = c.createStatement().executeQuery("SELECT node_id, seen_at FROM workers")) {
      StringBuilder out = new StringBuilder("now " + System.currentTimeMillis() + "\n");
      while (rows.next()) out.append(rows.getString(1)).append(' ').append(rows.getLong(2)).append('\n');
      return out.toString();
    } catch (java.sql.SQLException e) {
      return e.getMessage();
    }
  }

  private static void arrived(Map<Long, Long> seen, SseEvent e) {
    if (e.id() != null) seen.putIfAbsent(Long.parseLong(e.id()), System.nanoTime());
  }

  private static List<String> ids(Http.SseResult sse) {
    return sse.events().stream().map(e -> e.id() + " " + e.event()).toList();
  }

  static long responses(int status) {
    long n = 0;
    for (int i = 0; i < KEYS.length; i++) n += sim.responses("key-" + i, status);
    return n;
  }
}
