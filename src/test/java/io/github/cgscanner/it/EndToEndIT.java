package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, {@code serve} with four keys, against the simulator: a generated 120-file repository in
 * four languages is uploaded as a zip, followed over SSE, and every planted finding must come back
 * exactly once at its exact path and line — with clean answers, and again with faults.
 */
class EndToEndIT {
  static final String[] KEYS = {"sk-test-e2e-key-zero-0000000000", "sk-test-e2e-key-one-11111111111",
      "sk-test-e2e-key-two-22222222222", "sk-test-e2e-key-three-333333333"};

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

  static Map<String, String> keyEnv(String baseUrl, String... keys) {
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", baseUrl);
    for (int i = 0; i < keys.length; i++) env.put(i == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + i, keys[i]);
    return env;
  }

  @Test
  void cleanRunReportsEveryPlantedFindingOnceAndStreamsIt() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(40, 0.2).seed(1).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-clean"), 120, 42);
    Path zip = repo.zip(tmp.resolve("clean.zip"));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, keyEnv(sim.baseUrl(), KEYS), "--no-cluster");
         Http http = new Http(scanner.baseUrl(), null)) {
      var submitted = http.postFile("/api/v1/scans", "application/zip", zip);
      assertEquals(202, submitted.statusCode(), submitted.bodyAsString());
      String id = submitted.bodyAsJsonObject().getString("id");
      assertEquals("/api/v1/scans/" + id, submitted.getHeader("Location"));

      long started = System.nanoTime();
      Http.SseResult sse = http.events(id, null, 300);
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(200, sse.status());
      assertEquals(3000, sse.retry(), "the stream starts with retry: 3000");
      assertConsecutive(sse.events(), 1);
      SseEvent done = sse.events().get(sse.events().size() - 1);
      assertEquals("done", done.event());
      JsonObject scan = new JsonObject(done.data());
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertEquals("done", scan.getString("modelReview"));
      JsonObject progress = scan.getJsonObject("progress");
      assertEquals(progress.getInteger("filesTotal"), progress.getInteger("filesScanned") + progress.getInteger("filesFailed"));
      assertTrue(scan.getJsonArray("failedFiles").isEmpty(), scan.getJsonArray("failedFiles").encode());
      assertTrue(progress.getInteger("filesSkipped") >= 4, "skipped: " + scan.getJsonObject("skipped"));

      JsonArray findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      assertPlantedExactlyOnce(repo, findings);
      Set<String> streamed = sse.events().stream().filter(e -> e.event().equals("finding"))
          .map(e -> new JsonObject(e.data()).getString("id")).collect(Collectors.toSet());
      assertEquals(findings.stream().map(f -> ((JsonObject) f).getString("id")).collect(Collectors.toSet()), streamed);

      assertNothingLeaked(repo, sim.prompts());
      int maxConcurrent = 0;
      for (int i = 0; i < KEYS.length; i++) {
        maxConcurrent = Math.max(maxConcurrent, sim.maxConcurrent("key-" + i));
        assertTrue(sim.stats().getJsonObject("requests").getLong("key-" + i, 0L) > 0, "key-" + i + " was never used");
      }
      assertTrue(maxConcurrent > 1, "several requests per key in flight; max was " + maxConcurrent);

      // Resume: after event n we get n+1 onwards; after done, 204.
      long n = sse.events().size() / 2;
      Http.SseResult resumed = http.events(id, n, 60);
      assertEquals(n + 1, Long.parseLong(resumed.events().get(0).id()));
      assertConsecutive(resumed.events(), n + 1);
      assertEquals(204, http.events(id, Long.parseLong(done.id()), 30).status());

      var sarif = http.get("/api/v1/scans/" + id + "/report.sarif");
      assertEquals(200, sarif.statusCode());
      assertTrue(sarif.getHeader("Content-Type").startsWith("application/sarif+json"));
      assertEquals("2.1.0", sarif.bodyAsJsonObject().getString("version"));
      assertEquals(List.of(), io.github.cgscanner.report.SarifSchema.validate(sarif.bodyAsJsonObject()),
          "the SARIF validates against the SARIF 2.1.0 schema");

      String log = scanner.log();
      for (String key : KEYS) assertFalse(log.contains(key), "a key reached the log");
      System.out.printf("E2E clean: %d files total, %d skipped, %d findings (%d planted), %.1f s, %d requests, %d prompt tokens%n",
          progress.getInteger("filesTotal"), progress.getInteger("filesSkipped"), findings.size(), repo.planted.size(), seconds,
          scan.getJsonObject("usage").getLong("requests"), scan.getJsonObject("usage").getLong("promptTokens"));
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  @Test
  void faultsAreSurvivedAndABadKeyIsDisabled() throws Exception {
    String[] keys = {KEYS[0], KEYS[1], KEYS[2], "sk-test-e2e-not-a-valid-key-99999"};
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS[0], KEYS[1], KEYS[2])
        .limit(240, 0).burstSeconds(1).spurious429(0.10)
        .latency(60, 0.2)
        .faults(new SimulatorOptions.Faults(0.05, 0.02, 0.01, 0.03, 0.02, 0.0, 0.3))
        .seed(7).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-faults"), 80, 4242);
    Path zip = repo.zip(tmp.resolve("faults.zip"));
    Files.writeString(tmp.resolve("faults.json"), new JsonObject()
        .put("model", new JsonObject().put("requestTimeout", "4s").put("maxChunkTokens", 700)).encode());
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, keyEnv(sim.baseUrl(), keys), "--no-cluster",
        "--config", tmp.resolve("faults.json").toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      var submitted = http.postFile("/api/v1/scans", "application/zip", zip);
      assertEquals(202, submitted.statusCode(), submitted.bodyAsString());
      String id = submitted.bodyAsJsonObject().getString("id");
      Http.SseResult sse = http.events(id, null, 300);
      JsonObject scan = new JsonObject(sse.events().get(sse.events().size() - 1).data());
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertTrue(scan.getJsonArray("failedFiles").isEmpty(), scan.getJsonArray("failedFiles").encode());
      JsonArray findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      assertPlantedExactlyOnce(repo, findings);
      JsonArray members = http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members");
      JsonObject badKey = members.getJsonObject(0).getJsonArray("keys").stream().map(JsonObject.class::cast)
          .filter(k -> k.getString("key").equals("key-3")).findFirst().orElseThrow();
      assertEquals("disabled", badKey.getString("state"));
      String everything = scanner.log() + sse.events() + findings.encode() + members.encode();
      for (String key : keys) assertFalse(everything.contains(key), "a key leaked");
      assertFalse(everything.contains("sk-te"), "an upstream error body leaked");
      JsonObject responses = sim.stats().getJsonObject("responses");
      long errors = 0;
      long rateLimited = 0;
      for (String label : responses.fieldNames()) {
        errors += responses.getJsonObject(label).getLong("500", 0L) + responses.getJsonObject(label).getLong("503", 0L);
        rateLimited += responses.getJsonObject(label).getLong("429", 0L);
      }
      assertTrue(errors > 0, "the run should have met server errors: " + responses);
      assertTrue(rateLimited > 0, "the run should have met 429s: " + responses);
      System.out.printf("E2E faults: %d findings (%d planted), %d requests, %d 5xx, %d 429, stats %s%n", findings.size(),
          repo.planted.size(), scan.getJsonObject("usage").getLong("requests"), errors, rateLimited, responses.encode());
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  static void assertConsecutive(List<SseEvent> events, long first) {
    assertFalse(events.isEmpty());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(first + i, Long.parseLong(events.get(i).id()), "SSE ids must be consecutive");
    }
  }

  static void assertPlantedExactlyOnce(TestRepo repo, JsonArray findings) {
    Set<String> expected = new HashSet<>();
    repo.planted.forEach(p -> expected.add(p.path() + ":" + p.line() + ":" + p.cwe()));
    List<String> reported = findings.stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("source").equals("llm"))
        .map(f -> f.getString("path") + ":" + f.getInteger("startLine") + ":" + f.getString("cwe"))
        .toList();
    assertEquals(reported.size(), new HashSet<>(reported).size(), "a model finding was reported twice: " + reported);
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(reported);
    Set<String> extra = new HashSet<>(reported);
    extra.removeAll(expected);
    assertTrue(missing.isEmpty(), "planted but not reported: " + missing);
    assertTrue(extra.isEmpty(), "reported but never planted (made up?): " + extra);
  }

  static void assertNothingLeaked(TestRepo repo, List<String> prompts) {
    assertNotNull(prompts);
    assertFalse(prompts.isEmpty());
    for (String prompt : prompts) {
      for (String secret : repo.secrets) assertFalse(prompt.contains(secret), "a secret reached the model");
      for (String marker : repo.skippedMarkers) assertFalse(prompt.contains(marker), "a skipped file reached the model");
    }
  }
}
