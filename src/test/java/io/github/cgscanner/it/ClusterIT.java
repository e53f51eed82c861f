package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real clustered workers (two JVMs on one Hazelcast cluster over 127.0.0.1), four keys each,
 * against one in-process simulator. Each key does one request at a time with ~200 ms latency, so a
 * 600-file scan lasts long enough to kill a worker in the middle of it.
 */
class ClusterIT {
  static final String[] KEYS_A = {"sk-test-cluster-a0-000000000000", "sk-test-cluster-a1-111111111111",
      "sk-test-cluster-a2-222222222222", "sk-test-cluster-a3-333333333333"};
  static final String[] KEYS_B = {"sk-test-cluster-b0-000000000000", "sk-test-cluster-b1-111111111111",
      "sk-test-cluster-b2-222222222222", "sk-test-cluster-b3-333333333333"};

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;
  static Path bigZip;
  static TestRepo bigRepo;

  ScannerProcess a;
  ScannerProcess b;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    String[] all = new String[8];
    System.arraycopy(KEYS_A, 0, all, 0, 4);
    System.arraycopy(KEYS_B, 0, all, 4, 4);
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(all).latency(200, 0.25).seed(3).build());
    Http.await(sim.start(), 10);
    Files.writeString(tmp.resolve("slow-keys.json"), new JsonObject()
        .put("keys", new JsonObject().put("maxInFlightPerKey", 1)).encode());
    bigRepo = TestRepo.generate(tmp.resolve("repo-600"), 600, 600);
    bigZip = bigRepo.zip(tmp.resolve("repo-600.zip"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (ScannerProcess p : new ScannerProcess[] {a, b}) {
      if (p != null && p.process().isAlive()) p.close();
    }
  }

  /** Starts two workers as one cluster: A first, then B, which is ready only once it sees A. */
  void startPair() throws Exception {
    startPair(Map.of());
  }

  void startPair(Map<String, String> extraEnv) throws Exception {
    int pa = ScannerProcess.freePort();
    int pb = ScannerProcess.freePort();
    String members = "127.0.0.1:" + pa + ",127.0.0.1:" + pb;
    String name = "it-" + UUID.randomUUID();
    Map<String, String> envA = env(KEYS_A, name, pa, members, 1);
    Map<String, String> envB = env(KEYS_B, name, pb, members, 2);
    envA.putAll(extraEnv);
    envB.putAll(extraEnv);
    a = ScannerProcess.serve(tmp, envA, "--config", tmp.resolve("slow-keys.json").toString());
    b = ScannerProcess.serve(tmp, envB, "--config", tmp.resolve("slow-keys.json").toString());
    // The event bus listens where it was told, so a firewall can name the port.
    new java.net.Socket("127.0.0.1", Integer.parseInt(envA.get("CLUSTER_EVENTBUS_PORT"))).close();
    try (Http http = new Http(a.baseUrl(), null)) {
      JsonArray members2 = waitFor(() -> http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members"),
          m -> m.size() == 2 && m.getJsonObject(1).getInteger("freeSlots", 0) > 0, 30);
      assertNotEquals(members2.getJsonObject(0).getString("nodeId"), members2.getJsonObject(1).getString("nodeId"));
    }
  }

  static Map<String, String> env(String[] keys, String cluster, int port, String members, int minSize) throws java.io.IOException {
    return env(sim.baseUrl(), keys, cluster, port, members, minSize);
  }

  static Map<String, String> env(String modelUrl, String[] keys, String cluster, int port, String members, int minSize)
      throws java.io.IOException {
    Map<String, String> env = EndToEndIT.keyEnv(modelUrl, keys);
    env.putAll(ScannerProcess.env("CLUSTER_NAME", cluster, "CLUSTER_HOST", "127.0.0.1", "CLUSTER_PORT", Integer.toString(port),
        "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", Integer.toString(minSize), "CLUSTER_JOIN_TIMEOUT", "30s",
        "CLUSTER_EVENTBUS_PORT", Integer.toString(ScannerProcess.freePort()), "SCANNER_STORE", "memory"));
    // The same 600 files are scanned again to watch both workers' keys at work: the cache would answer them.
    env.put("SCANNER_REVIEW_CACHE_TTL", "0");
    return env;
  }

  static String nodeId(Http http) throws Exception {
    return http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members").getJsonObject(0).getString("nodeId");
  }

  static long requests(int fromKey, int toKey) {
    JsonObject req = sim.stats().getJsonObject("requests");
    long n = 0;
    for (int i = fromKey; i < toKey; i++) n += req.getLong("key-" + i, 0L);
    return n;
  }

  @Test
  void aBigScanIsSharedByTwoWorkersAndASmallOneStaysHome() throws Exception {
    startPair();
    try (Http httpA = new Http(a.baseUrl(), null); Http httpB = new Http(b.baseUrl(), null)) {
      String idA = nodeId(httpA);
      String idB = nodeId(httpB);
      JsonArray view = httpB.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members");
      assertEquals(idB, view.getJsonObject(0).getString("nodeId"), "self first");
      assertEquals(4, view.getJsonObject(1).getJsonArray("keys").size());

      // (d) 150 files: below the threshold, nothing leaves the worker.
      TestRepo small = TestRepo.generate(tmp.resolve("repo-150"), 150, 150);
      long bBefore = requests(4, 8);
      String smallId = submit(httpA, small.zip(tmp.resolve("repo-150.zip")));
      JsonObject smallDone = lastEvent(httpB.events(smallId, null, 120));
      assertEquals("completed", smallDone.getString("status"), smallDone.encodePrettily());
      assertEquals(List.of(idA), smallDone.getJsonArray("workers").getList());
      assertFalse(smallDone.getBoolean("sharded"));
      assertEquals(bBefore, requests(4, 8), "B's keys must not work on a small scan");
      assertEquals(409, httpB.delete("/api/v1/scans/" + smallId).statusCode(), "cancel through B reaches A: finished");

      // (a) 600 files: A recruits B; both workers' keys review it; every planted finding exactly once.
      long aBefore = requests(0, 4);
      long started = System.nanoTime();
      String id = submit(httpA, bigZip);
      JsonObject done = lastEvent(httpA.events(id, null, 240));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      assertEquals(List.of(idA, idB), done.getJsonArray("workers").getList());
      assertTrue(done.getBoolean("sharded"));
      assertTrue(done.getJsonArray("failedFiles").isEmpty(), done.getJsonArray("failedFiles").encode());
      long byA = requests(0, 4) - aBefore;
      long byB = requests(4, 8) - bBefore;
      assertTrue(byA > 0 && byB > 0, "both workers' keys: A " + byA + ", B " + byB);
      EndToEndIT.assertPlantedExactlyOnce(bigRepo, httpB.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      assertEquals(done.getJsonObject("findingsBySeverity"), httpB.get("/api/v1/scans/" + id).bodyAsJsonObject().getJsonObject("findingsBySeverity"));
      assertEquals(200, httpB.get("/api/v1/scans/" + id + "/report.sarif").statusCode());
      assertTrue(a.log().contains("recruited in"), "the recruitment latency is logged");
      // SIGTERM in the middle of a second shared scan: B hands back what it holds and leaves the cluster
      // cleanly, A sees it alone at once (no heartbeat timeout), and the scan completes on A.
      long bAtSecond = requests(4, 8);
      String second = submit(httpA, bigZip);
      awaitProgress(httpA, second, 0.3);
      assertTrue(requests(4, 8) > bAtSecond, "B was working on the second scan");
      long stopping = System.nanoTime();
      b.process().destroy();
      assertTrue(b.process().waitFor(30, TimeUnit.SECONDS), "B stops within its drain time");
      waitFor(() -> httpA.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members"), m -> m.size() == 1, 10);
      assertTrue(b.log().contains("shutting down"));
      // B withdraws its load entry before it leaves, so the membership event may come a moment later.
      waitFor(a::log, log -> log.contains("cluster member left: " + idB), 15);
      System.out.printf("Cluster IT: B left gracefully in %.1f s%n", (System.nanoTime() - stopping) / 1e9);
      JsonObject secondDone = lastEvent(httpA.events(second, null, 240));
      assertEquals("completed", secondDone.getString("status"), secondDone.encodePrettily());
      assertTrue(secondDone.getJsonArray("failedFiles").isEmpty(), secondDone.getJsonArray("failedFiles").encode());
      EndToEndIT.assertPlantedExactlyOnce(bigRepo, httpA.get("/api/v1/scans/" + second + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      System.out.printf("Cluster IT: 600 files over 2 workers in %.1f s, requests A %d / B %d (%d total in the scan)%n",
          seconds, byA, byB, done.getJsonObject("usage").getLong("requests"));
    }
  }

  @Test
  void losingThePeerStillCompletesTheScan() throws Exception {
    startPair();
    try (Http httpA = new Http(a.baseUrl(), null)) {
      long bBefore = requests(4, 8);
      String id = submit(httpA, bigZip);
      awaitProgress(httpA, id, 0.3);
      assertTrue(requests(4, 8) > bBefore, "B was working on the scan before it was killed");
      b.process().destroyForcibly();
      JsonObject done = lastEvent(httpA.events(id, null, 240));
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      assertTrue(done.getBoolean("sharded"));
      assertTrue(done.getJsonArray("failedFiles").isEmpty(), done.getJsonArray("failedFiles").encode());
      JsonObject p = done.getJsonObject("progress");
      assertEquals(p.getInteger("filesTotal"), p.getInteger("filesScanned"));
      EndToEndIT.assertPlantedExactlyOnce(bigRepo, httpA.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      assertTrue(a.log().contains("cluster member left"), "A saw B leave");
    }
  }

  @Test
  void losingTheCoordinatorFailsTheScanAndKeepsWhatWasFound() throws Exception {
    startPair();
    try (Http httpA = new Http(a.baseUrl(), null); Http httpB = new Http(b.baseUrl(), null)) {
      String idB = nodeId(httpB);
      String id = submit(httpA, bigZip);
      awaitProgress(httpB, id, 0.3);
      CompletableFuture<Http.SseResult> live = CompletableFuture.supplyAsync(() -> {
        try {
          return httpB.events(id, null, 120);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      a.process().destroyForcibly();
      JsonObject scan = waitFor(() -> httpB.get("/api/v1/scans/" + id).bodyAsJsonObject(),
          s -> s.getString("status").equals("failed"), 60);
      assertEquals("coordinator_lost", scan.getJsonObject("error").getString("code"));
      JsonObject p = scan.getJsonObject("progress");
      assertEquals(p.getInteger("filesTotal"), p.getInteger("filesScanned") + p.getInteger("filesFailed"));
      assertTrue(p.getInteger("filesScanned") > 0 && p.getInteger("filesFailed") > 0, p.encode());

      JsonArray findings = httpB.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      Set<String> planted = new HashSet<>();
      bigRepo.planted.forEach(x -> planted.add(x.path() + ":" + x.line() + ":" + x.cwe()));
      List<String> reported = findings.stream().map(JsonObject.class::cast).filter(f -> f.getString("source").equals("llm"))
          .map(f -> f.getString("path") + ":" + f.getInteger("startLine") + ":" + f.getString("cwe")).toList();
      assertFalse(reported.isEmpty(), "the findings so far stay readable");
      assertEquals(reported.size(), new HashSet<>(reported).size(), "no finding twice");
      assertTrue(planted.containsAll(reported), "only planted findings");

      Http.SseResult replay = httpB.events(id, null, 30);
      EndToEndIT.assertConsecutive(replay.events(), 1);
      SseEvent last = replay.events().get(replay.events().size() - 1);
      assertEquals("done", last.event());
      assertEquals("coordinator_lost", new JsonObject(last.data()).getJsonObject("error").getString("code"));
      Http.SseResult followed = live.get(60, TimeUnit.SECONDS);
      assertEquals("done", followed.events().get(followed.events().size() - 1).event(), "the live stream on B ends too");
      assertEquals(409, httpB.delete("/api/v1/scans/" + id).statusCode());
      assertTrue(b.log().contains("marked failed (coordinator_lost)"), "B took the scan over");
      assertEquals(idB, httpB.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members").getJsonObject(0).getString("nodeId"));
      System.out.printf("Cluster IT: coordinator lost at %s — %d findings kept%n", p.encode(), reported.size());
    }
  }

  @Test
  void aClusterThatCannotFormOrBindExitsWithTwo() throws Exception {
    int port = ScannerProcess.freePort();
    int absent = ScannerProcess.freePort();
    Map<String, String> lonely = env(KEYS_A, "it-" + UUID.randomUUID(), port, "127.0.0.1:" + port + ",127.0.0.1:" + absent, 2);
    lonely.put("CLUSTER_JOIN_TIMEOUT", "3s");
    var result = ScannerProcess.run(tmp, lonely, java.time.Duration.ofSeconds(60), "serve", "--port", Integer.toString(ScannerProcess.freePort()));
    assertEquals(2, result.exitCode(), result.stderr());
    assertTrue(result.stderr().contains("CLUSTER_MIN_SIZE is 2"), result.stderr());

    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int taken = busy.getLocalPort();
      var bound = ScannerProcess.run(tmp, env(KEYS_A, "it-" + UUID.randomUUID(), taken, "127.0.0.1:" + taken, 1),
          java.time.Duration.ofSeconds(60), "serve", "--port", Integer.toString(ScannerProcess.freePort()));
      assertEquals(2, bound.exitCode(), bound.stderr());
      assertTrue(bound.stderr().contains("could not join the cluster on 127.0.0.1:" + taken), bound.stderr());
      for (String key : KEYS_A) assertFalse((bound.stdout() + bound.stderr()).contains(key));

      int free = ScannerProcess.freePort();
      Map<String, String> busyBus = env(KEYS_A, "it-" + UUID.randomUUID(), free, "127.0.0.1:" + free, 1);
      busyBus.put("CLUSTER_EVENTBUS_PORT", Integer.toString(taken));
      var busBound = ScannerProcess.run(tmp, busyBus, java.time.Duration.ofSeconds(60), "serve", "--port", Integer.toString(ScannerProcess.freePort()));
      assertEquals(2, busBound.exitCode(), busBound.stderr());
      assertTrue(busBound.stderr().contains("event bus port " + taken), busBound.stderr());
    }
  }

  static String submit(Http http, Path zip) throws Exception {
    var response = http.postFile("/api/v1/scans", "application/zip", zip);
    assertEquals(202, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getString("id");
  }

  static JsonObject lastEvent(Http.SseResult sse) {
    assertEquals(200, sse.status());
    SseEvent last = sse.events().get(sse.events().size() - 1);
    assertEquals("done", last.event());
    return new JsonObject(last.data());
  }

  @Test
  void aFullWorkerForwardsJsonScansAndAnswers429OnlyWhenEveryoneIsFull() throws Exception {
    // .invalid never resolves (RFC 2606): the clone fails at once, offline or not.
    startPair(Map.of("SCANNER_MAX_RUNNING_SCANS", "1", "SCANNER_MAX_QUEUED_SCANS", "0", "SCANNER_GIT_HOSTS", "scanner-test.invalid"));
    try (Http httpA = new Http(a.baseUrl(), null); Http httpB = new Http(b.baseUrl(), null)) {
      String idA = nodeId(httpA);
      String idB = nodeId(httpB);
      var first = httpA.postFile("/api/v1/scans", "application/zip", bigZip);
      assertEquals(202, first.statusCode(), first.bodyAsString());
      assertEquals(idA, first.bodyAsJsonObject().getString("coordinator"), "the upload stayed on A");
      // Inline files are unmasked code: they never travel over the event bus, so a full A answers 429.
      JsonObject inline = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
          .add(new JsonObject().put("path", "app/db.py").put("content", "os.system(\"ping \" + host)\n"))));
      assertEquals(429, httpA.postJson("/api/v1/scans", inline).statusCode());
      // A git URL without a token carries nothing secret: a full A hands it to B (whose clone then fails).
      JsonObject git = new JsonObject().put("source", new JsonObject().put("git", new JsonObject()
          .put("url", "https://scanner-test.invalid/acme/shop")));
      var second = httpA.postJson("/api/v1/scans", git);
      assertEquals(202, second.statusCode(), second.bodyAsString());
      assertEquals(idB, second.bodyAsJsonObject().getString("coordinator"), "A was full: the git scan went to B");
      String secondId = second.bodyAsJsonObject().getString("id");
      waitFor(() -> httpB.get("/api/v1/scans/" + secondId).bodyAsJsonObject().getString("status"), "failed"::equals, 60);
      // Keep B busy too, then a git scan finds no room anywhere.
      var third = httpB.postFile("/api/v1/scans", "application/zip", bigZip);
      assertEquals(202, third.statusCode(), third.bodyAsString());
      var fourth = httpA.postJson("/api/v1/scans", git);
      assertEquals(429, fourth.statusCode(), fourth.bodyAsString());
      assertTrue(fourth.getHeader("Retry-After") != null, "429 says when to come back");
      assertEquals("too_many_requests", fourth.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
  }

  static void awaitProgress(Http http, String id, double fraction) throws Exception {
    waitFor(() -> http.get("/api/v1/scans/" + id).bodyAsJsonObject(), s -> {
      JsonObject p = s.getJsonObject("progress");
      assertFalse(s.getString("status").matches("completed|failed|cancelled"), "the scan ended before it could be interrupted: " + s.encode());
      return p.getInteger("filesTotal") > 0 && p.getInteger("filesScanned") >= fraction * p.getInteger("filesTotal");
    }, 120);
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  static <T> T waitFor(Probe<T> probe, Predicate<T> done, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) return last;
      Thread.sleep(200);
    }
    throw new AssertionError("not reached in " + seconds + " s; last: " + last);
  }
}
