package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review cache and stable ids through the real jar and the simulator: an unchanged re-scan asks the
 * model nothing and reports the same ids, a changed file re-sends only its chunk, another token's scan
 * is never served from someone else's reviews, a second worker of a cluster finds the first one's
 * reviews, and with the cache off a model that words and orders its answers differently each time
 * still yields the same ids.
 */
class ReviewCacheIT {
  static final String ALICE = "tok-alice-review-cache-0123456789";
  static final String BOB = "tok-bob-review-cache-9876543210";

  @TempDir static Path tmp;
  static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(vertx.close(), 10);
  }

  static long requests(ModelSimulator sim) {
    return sim.stats().getJsonObject("requests").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }

  record Scanned(JsonObject scan, JsonArray findings) {
    JsonObject usage() {
      return scan.getJsonObject("usage");
    }

    /** id → the finding, model findings only. */
    Map<String, JsonObject> modelFindings() {
      Map<String, JsonObject> out = new TreeMap<>();
      findings.stream().map(JsonObject.class::cast).filter(f -> f.getString("source").equals("llm")).forEach(f -> out.put(f.getString("id"), f));
      return out;
    }

    Set<String> ids() {
      Set<String> out = new TreeSet<>();
      findings.forEach(f -> out.add(((JsonObject) f).getString("id")));
      return out;
    }
  }

  static Scanned scan(Http http, Path zip) throws Exception {
    String id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
    JsonObject scan = ApiAssert.awaitFinal(http, id, 240);
    assertEquals("completed", scan.getString("status"), scan.encodePrettily());
    assertEquals("done", scan.getString("modelReview"), scan.encodePrettily());
    assertEquals(2, scan.getInteger("idVersion"));
    return new Scanned(scan, http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings"));
  }

  @Test
  void anUnchangedRescanAsksNothingAndAChangedFileOnlyItsChunk() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(EndToEndIT.KEYS).latency(30, 0.2).seed(16).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-cache"), 120, 1616);
    Path first = repo.zip(tmp.resolve("cache-1.zip"));
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), EndToEndIT.KEYS);
    env.put("SCANNER_API_TOKENS", ALICE + "," + BOB);
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster");
         Http alice = new Http(scanner.baseUrl(), ALICE); Http bob = new Http(scanner.baseUrl(), BOB)) {
      Scanned cold = scan(alice, first);
      long coldRequests = requests(sim);
      long chunks = cold.usage().getLong("reviewedChunks");
      assertTrue(chunks > 10 && coldRequests >= chunks, cold.usage().encode());
      assertEquals(0, cold.usage().getLong("cachedReviews"));
      EndToEndIT.assertPlantedExactlyOnce(repo, cold.findings());

      Scanned warm = scan(alice, first);
      assertEquals(coldRequests, requests(sim), "an unchanged re-scan asks the model nothing");
      assertEquals(0, warm.usage().getLong("requests"));
      assertEquals(chunks, warm.usage().getLong("cachedReviews"));
      assertEquals(chunks, warm.usage().getLong("reviewedChunks"));
      assertTrue(warm.usage().getDouble("savedCostUsd") > 0, warm.usage().encode());
      assertEquals(cold.ids(), warm.ids(), "the same code, the same ids");
      assertEquals(cold.findings().size(), warm.findings().size());

      // One planted file gets a line on top: its finding moves down one line and keeps its id.
      TestRepo.Planted moved = repo.planted.stream().filter(p -> p.path().startsWith("src/python/")).findFirst().orElseThrow();
      Path file = repo.root.resolve(moved.path());
      Files.writeString(file, "# reviewed again\n" + Files.readString(file));
      Path second = repo.zip(tmp.resolve("cache-2.zip"));
      int promptsBefore = sim.prompts().size();
      Scanned changed = scan(alice, second);
      // The changed file's findings are verified again (its content changed); only reviews count here.
      List<String> sent = sim.prompts().subList(promptsBefore, sim.prompts().size()).stream()
          .filter(p -> !p.contains("\n{\"id\":")).toList();
      assertTrue(sent.size() >= 1 && sent.size() <= 2, "one changed file re-sends its chunk and at most one neighbour: " + sent.size());
      assertTrue(sent.stream().anyMatch(p -> p.contains("=== FILE: " + moved.path() + " ")), "the changed file was sent");
      assertEquals(chunks - sent.size(), changed.usage().getLong("cachedReviews"), changed.usage().encode());
      assertEquals(cold.ids(), changed.ids(), "every finding keeps its id, the moved one too");
      JsonObject after = changed.findings().stream().map(JsonObject.class::cast)
          .filter(f -> f.getString("path").equals(moved.path()) && f.getString("source").equals("llm")).findFirst().orElseThrow();
      assertEquals(moved.line() + 1, after.getInteger("startLine"));

      // Another token's reviews are its own: Bob's scan of the same code asks the model again.
      long beforeBob = requests(sim);
      Scanned bobs = scan(bob, first);
      assertEquals(0, bobs.usage().getLong("cachedReviews"), "cache.scope owner: nothing served from Alice's reviews");
      long bobsVerifications = bobs.usage().getJsonObject("verification").getLong("requests");
      assertEquals(chunks, requests(sim) - beforeBob - bobsVerifications, "every chunk reviewed again for Bob");
      assertEquals(cold.ids(), bobs.ids(), "ids do not depend on who scans");
      assertFalse(scanner.log().contains(ALICE) || scanner.log().contains(BOB), "a token reached the log");
      System.out.printf("Review cache IT: %d chunks, cold %d requests, warm 0 (saved $%.4f), one file changed: %d%n", chunks,
          coldRequests, warm.usage().getDouble("savedCostUsd"), sent.size());
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  /** The cache is a table of the embedded database: the next `scan` run on the same data directory asks nothing. */
  @Test
  void twoCliRunsOnOneDataDirectoryPayOnce() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(EndToEndIT.KEYS).latency(10, 0.2).seed(61).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-cli-cache"), 40, 6161);
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), EndToEndIT.KEYS);
    Path data = tmp.resolve("cli-data");
    try {
      ScannerProcess.Result first = ScannerProcess.run(tmp, env, java.time.Duration.ofMinutes(3), "scan", repo.root.toString(),
          "--format", "json", "--no-progress", "--fail-on", "none", "--data-dir", data.toString());
      assertEquals(0, first.exitCode(), first.stderr());
      long afterFirst = requests(sim);
      JsonObject cold = new JsonObject(first.stdout()).getJsonObject("scan").getJsonObject("usage");
      assertTrue(afterFirst > 0 && cold.getLong("cachedReviews") == 0, cold.encode());

      ScannerProcess.Result second = ScannerProcess.run(tmp, env, java.time.Duration.ofMinutes(3), "scan", repo.root.toString(),
          "--format", "json", "--no-progress", "--fail-on", "none", "--data-dir", data.toString());
      assertEquals(0, second.exitCode(), second.stderr());
      JsonObject warm = new JsonObject(second.stdout()).getJsonObject("scan").getJsonObject("usage");
      assertEquals(afterFirst, requests(sim), "the second run asks the model nothing: " + warm.encode());
      assertEquals(cold.getLong("reviewedChunks"), warm.getLong("cachedReviews"));
      assertEquals(new JsonObject(first.stdout()).getJsonArray("findings").size(),
          new JsonObject(second.stdout()).getJsonArray("findings").size());
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  @Test
  void withTheCacheOffAModelThatVariesItsAnswersStillGivesTheSameIds() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(EndToEndIT.KEYS).latency(20, 0.5)
        .varyAnswers().seed(99).build());
    Http.await(sim.start(), 10);
    // Small chunks, so a run's answers come back in another order too.
    Path config = tmp.resolve("small-chunks.json");
    Files.writeString(config, new JsonObject().put("model", new JsonObject().put("maxChunkTokens", 1500)).encode());
    Path zip = TestRepo.generate(tmp.resolve("repo-vary"), 80, 99).zip(tmp.resolve("vary.zip"));
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), EndToEndIT.KEYS);
    env.put("SCANNER_REVIEW_CACHE_TTL", "0");
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      Scanned one = scan(http, zip);
      long afterOne = requests(sim);
      Scanned two = scan(http, zip);
      assertEquals(afterOne, requests(sim) - afterOne, "with the cache off, every chunk is asked again");
      assertEquals(0, two.usage().getLong("cachedReviews"));
      assertEquals(one.ids(), two.ids());
      int differ = 0;
      for (Map.Entry<String, JsonObject> e : one.modelFindings().entrySet()) {
        JsonObject other = two.modelFindings().get(e.getKey());
        if (!e.getValue().getString("cwe").equals(other.getString("cwe"))
            || !e.getValue().getInteger("endLine").equals(other.getInteger("endLine"))) {
          differ++;
        }
      }
      assertTrue(differ > 0, "the model answered differently, or the test proves nothing");
      System.out.printf("Varying model, cache off: %d model findings, %d worded differently, the same ids%n",
          one.modelFindings().size(), differ);
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  @Test
  void aSecondWorkerOfTheClusterFindsTheFirstOnesReviews() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(ClusterIT.KEYS_A).keys(ClusterIT.KEYS_B)
        .latency(30, 0.2).seed(5).build());
    Http.await(sim.start(), 10);
    Path zip = TestRepo.generate(tmp.resolve("repo-pair"), 60, 505).zip(tmp.resolve("pair.zip"));
    int pa = ScannerProcess.freePort();
    int pb = ScannerProcess.freePort();
    String members = "127.0.0.1:" + pa + ",127.0.0.1:" + pb;
    String name = "it-cache-" + UUID.randomUUID();
    Map<String, String> envA = pairEnv(sim, ClusterIT.KEYS_A, name, pa, members, 1);
    Map<String, String> envB = pairEnv(sim, ClusterIT.KEYS_B, name, pb, members, 2);
    try (ScannerProcess a = ScannerProcess.serve(tmp, envA); ScannerProcess b = ScannerProcess.serve(tmp, envB);
         Http httpA = new Http(a.baseUrl(), null); Http httpB = new Http(b.baseUrl(), null)) {
      Scanned onA = scan(httpA, zip);
      long afterA = requests(sim);
      assertTrue(afterA > 0);
      Scanned onB = scan(httpB, zip);
      assertEquals(ClusterIT.nodeId(httpB), onB.scan().getString("coordinator"), "B ran the second scan itself");
      assertEquals(afterA, requests(sim), "B asked the model nothing: A's reviews are the cluster's");
      assertEquals(onA.usage().getLong("reviewedChunks"), onB.usage().getLong("cachedReviews"));
      assertEquals(onA.ids(), onB.ids(), "the same ids on another worker");
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  static Map<String, String> pairEnv(ModelSimulator sim, String[] keys, String cluster, int port, String members, int minSize)
      throws java.io.IOException {
    Map<String, String> env = new HashMap<>(EndToEndIT.keyEnv(sim.baseUrl(), keys));
    env.putAll(ScannerProcess.env("CLUSTER_NAME", cluster, "CLUSTER_HOST", "127.0.0.1", "CLUSTER_PORT", Integer.toString(port),
        "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", Integer.toString(minSize), "CLUSTER_JOIN_TIMEOUT", "30s",
        "CLUSTER_EVENTBUS_PORT", Integer.toString(ScannerProcess.freePort()), "SCANNER_STORE", "memory"));
    return env;
  }
}
