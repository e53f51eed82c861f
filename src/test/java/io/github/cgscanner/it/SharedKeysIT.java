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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one worker (two JVMs on one Hazelcast cluster over 127.0.0.1) holding the same four
 * keys, against a simulator that enforces each key's limit (240 requests per minute, with rate
 * headers). A 400-file scan shared by both must stay within the keys' limits together: each replica
 * pacing itself to the full limits had about half of its requests refused.
 */
class SharedKeysIT {
  static final String[] KEYS = {"sk-test-shared-k0-0123456789abcdef", "sk-test-shared-k1-0123456789abcdef",
      "sk-test-shared-k2-0123456789abcdef", "sk-test-shared-k3-0123456789abcdef"};
  static final int RPM = 240;

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).limit(RPM, 0).latency(300, 0.25).seed(14).build());
    Http.await(sim.start(), 10);
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  @Test
  void replicasHoldingTheSameKeysShareTheirLimits() throws Exception {
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-400"), 400, 400);
    Path zip = repo.zip(tmp.resolve("repo-400.zip"));
    // Small chunks, so the scan is hundreds of requests (tens of seconds at the keys' rate), not dozens.
    Path config = tmp.resolve("small-chunks.json");
    Files.writeString(config, new JsonObject().put("model", new JsonObject().put("maxChunkTokens", 2048)
        .put("maxCompletionTokens", 1024)).encode());
    int pa = ScannerProcess.freePort();
    int pb = ScannerProcess.freePort();
    String members = "127.0.0.1:" + pa + ",127.0.0.1:" + pb;
    String cluster = "it-" + UUID.randomUUID();
    try (ScannerProcess a = ScannerProcess.serve(tmp, ClusterIT.env(sim.baseUrl(), KEYS, cluster, pa, members, 1), "--config", config.toString());
         ScannerProcess b = ScannerProcess.serve(tmp, ClusterIT.env(sim.baseUrl(), KEYS, cluster, pb, members, 2), "--config", config.toString());
         Http httpA = new Http(a.baseUrl(), null);
         Http httpB = new Http(b.baseUrl(), null)) {
      JsonArray view = ClusterIT.waitFor(() -> httpA.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members"),
          m -> m.size() == 2, 30);
      JsonArray hashes = view.getJsonObject(0).getJsonArray("keyHashes");
      assertEquals(4, hashes.size(), view.encode());
      assertEquals(hashes, view.getJsonObject(1).getJsonArray("keyHashes"), "the same keys are recognised by their hashes");

      long before = responses(200) + responses(429);
      long started = System.nanoTime();
      String id = ClusterIT.submit(httpA, zip);
      JsonObject done = ClusterIT.lastEvent(httpA.events(id, null, 240));
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      assertTrue(done.getBoolean("sharded"), "the replica shares the scan: no peer with other keys exists");
      assertEquals(2, done.getJsonArray("workers").size());
      assertTrue(done.getJsonArray("failedFiles").isEmpty(), done.getJsonArray("failedFiles").encode());
      EndToEndIT.assertPlantedExactlyOnce(repo, httpB.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings"));

      long refused = responses(429);
      long answered = responses(200) + refused - before;
      double share = (double) refused / answered;
      JsonArray shares = ClusterIT.waitFor(() -> httpB.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members"),
          m -> m.size() == 2 && m.getJsonObject(1).getJsonArray("keys").getJsonObject(0).containsKey("budgetShare"), 10);
      Map<String, Double> byKey = new HashMap<>();
      long messages = 0;
      for (Object o : shares) {
        JsonObject member = (JsonObject) o;
        messages += member.getLong("budgetMessages");
        for (Object k : member.getJsonArray("keys")) {
          JsonObject key = (JsonObject) k;
          double held = key.getDouble("budgetShare");
          assertTrue(held >= 0 && held <= 1, key.encode());
          byKey.merge(key.getString("key"), held, Double::sum);
        }
      }
      byKey.forEach((key, sum) -> assertTrue(sum <= 1.0001, key + ": the holders' shares add up to " + sum));
      long requests = done.getJsonObject("usage").getLong("requests");
      System.out.printf("SharedKeysIT: 400 files over 2 replicas of 4 keys in %.1f s: %d requests, %d answered 429 (%.1f%%), "
          + "%d budget messages (%.3f per request), shares %s%n", (System.nanoTime() - started) / 1e9, answered, refused, 100 * share, messages,
          (double) messages / requests, byKey);
      assertTrue(share < 0.05, "429s: " + refused + " of " + answered);
      String metrics = httpA.get("/metrics").bodyAsString();
      assertTrue(metrics.contains("scanner_key_budget_share{"), "the share is a metric");
      assertTrue(metrics.contains("scanner_key_slice_waits_total{"));
      assertTrue(metrics.contains("scanner_budget_messages_total{"));
      for (String log : List.of(a.log(), b.log(), metrics, view.encode())) {
        for (String key : KEYS) assertFalse(log.contains(key), "a key leaked");
      }
    }
  }

  static long responses(int status) {
    long n = 0;
    for (int i = 0; i < KEYS.length; i++) n += sim.responses("key-" + i, status);
    return n;
  }
}
