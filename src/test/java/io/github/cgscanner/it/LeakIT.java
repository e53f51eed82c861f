package io.github.cgscanner.it;

import static io.github.cgscanner.it.ApiAssert.accepted;
import static io.github.cgscanner.it.ApiAssert.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, git tokens and the repository's secrets never leave the service in clear: not in its log, an
 * error body, an SSE event, a scan, the cluster view, the metrics, nor in any prompt the model receives.
 */
class LeakIT {
  static final String[] SIM_KEYS = {"sk-test-leak-key-alpha-AAAA1111", "sk-test-leak-key-beta-BBBB2222"};
  static final String BAD_KEY = "sk-test-leak-bad-key-CCCC3333";
  static final String GIT_TOKEN = "ghp_" + "FakeLeakTok9e8d7c6b5a4Z3Y2X1W0V9U8T";
  static final String API_TOKEN = "tok-leak-test-user-0123456789";

  @TempDir Path tmp;

  @Test
  void noKeyTokenOrSecretLeaks() throws Exception {
    Vertx vertx = Vertx.vertx();
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(SIM_KEYS).latency(20, 0.2).seed(5).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 24, 777);
    Path zip = repo.zip(tmp.resolve("repo.zip"));
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), SIM_KEYS[0], SIM_KEYS[1], BAD_KEY);
    env.put("SCANNER_GIT_HOSTS", "localhost");
    env.put("SCANNER_API_TOKENS", API_TOKEN);
    List<String> seen = new ArrayList<>();
    // Small chunks make many tasks, so every key, the bad one included, is sure to be given some.
    Path config = tmp.resolve("small-chunks.json");
    Files.writeString(config, new JsonObject().put("model", new JsonObject().put("maxChunkTokens", 300)).encode());
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
         Http http = new Http(scanner.baseUrl(), API_TOKEN)) {
      // The git token: accepted with a URL the DNS check refuses, and refused at submit in several ways.
      JsonObject git = new JsonObject().put("url", "https://localhost/org/private.git").put("token", GIT_TOKEN).put("ref", "main");
      HttpResponse<Buffer> r = http.postJson("/api/v1/scans", new JsonObject().put("source", new JsonObject().put("git", git)));
      seen.add(r.bodyAsString());
      String gitScan = accepted(r);
      for (String url : List.of("https://gitlab.com/org/private.git", "https://x:" + GIT_TOKEN + "@localhost/a.git",
          "https://" + GIT_TOKEN + "@localhost/a.git", "http://localhost/" + GIT_TOKEN)) {
        r = http.postJson("/api/v1/scans", new JsonObject().put("source", new JsonObject()
            .put("git", new JsonObject().put("url", url).put("token", GIT_TOKEN))));
        error(r, 400, "source_refused");
        seen.add(r.bodyAsString());
      }
      r = http.postJson("/api/v1/scans", new JsonObject().put("source", new JsonObject()
          .put("git", new JsonObject().put("url", "https://localhost/a.git").put("token", GIT_TOKEN + " \n"))));
      error(r, 400, "invalid_request");
      seen.add(r.bodyAsString());

      String repoScan = accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      for (String id : List.of(gitScan, repoScan)) {
        Http.SseResult sse = http.events(id, null, 180);
        assertEquals(200, sse.status());
        sse.events().forEach(e -> seen.add(e.event() + " " + e.data()));
        seen.add(http.get("/api/v1/scans/" + id).bodyAsString());
        seen.add(http.get("/api/v1/scans/" + id + "/findings").bodyAsString());
        seen.add(http.get("/api/v1/scans/" + id + "/report.sarif").bodyAsString());
      }
      JsonObject failed = http.get("/api/v1/scans/" + gitScan).bodyAsJsonObject();
      assertEquals("failed", failed.getString("status"), failed.encodePrettily());
      assertEquals("source_refused", failed.getJsonObject("error").getString("code"));
      JsonObject done = http.get("/api/v1/scans/" + repoScan).bodyAsJsonObject();
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      assertEquals("done", done.getString("modelReview"), done.encodePrettily());

      seen.add(http.get("/api/v1/scans").bodyAsString());
      HttpResponse<Buffer> cluster = http.get("/api/v1/cluster");
      seen.add(cluster.bodyAsString());
      JsonObject badKey = cluster.bodyAsJsonObject().getJsonArray("members").getJsonObject(0).getJsonArray("keys").stream()
          .map(JsonObject.class::cast).filter(k -> k.getString("key").equals("key-2")).findFirst().orElseThrow();
      assertEquals("disabled", badKey.getString("state"), "the bad key was tried and answered 401: " + badKey);
      HttpResponse<Buffer> metrics = http.get("/metrics");
      if (metrics.statusCode() == 200) seen.add(metrics.bodyAsString());
      else assertEquals(404, metrics.statusCode(), "/metrics is either served or absent");
      seen.add(scanner.log());

      List<String> forbidden = new ArrayList<>(List.of(SIM_KEYS));
      forbidden.addAll(List.of(BAD_KEY, GIT_TOKEN, API_TOKEN));
      forbidden.addAll(repo.secrets);
      String everything = String.join("\n", seen);
      // The provider's 401 body echoes "sk-te****3333": none of it may be passed on.
      assertFalse(everything.contains("Incorrect API key") || everything.contains("****") || everything.contains("sk-te"),
          "an upstream error body leaked");
      for (String s : forbidden) {
        assertFalse(everything.contains(s), "leaked: " + s.substring(0, 6) + "…");
        // A fragment of 12 characters is enough to identify a key: none may appear either.
        assertFalse(everything.contains(s.substring(s.length() - 12)), "a fragment leaked: …" + s.substring(s.length() - 4));
      }

      EndToEndIT.assertNothingLeaked(repo, sim.prompts());
      for (String prompt : sim.prompts()) {
        for (String s : List.of(SIM_KEYS[0], SIM_KEYS[1], BAD_KEY, GIT_TOKEN, API_TOKEN)) assertFalse(prompt.contains(s));
      }
      JsonArray findings = http.get("/api/v1/scans/" + repoScan + "/findings").bodyAsJsonObject().getJsonArray("findings");
      List<JsonObject> secretFindings = findings.stream().map(JsonObject.class::cast)
          .filter(f -> f.getString("source").equals("secrets")).toList();
      assertTrue(secretFindings.size() >= repo.secrets.size(), "each planted secret is reported: " + secretFindings);
      for (JsonObject f : secretFindings) {
        assertTrue(f.getString("ruleId").startsWith("secrets/"), f.encode());
        for (String s : repo.secrets) assertFalse(f.encode().contains(s), "a finding carries a secret: " + f.getString("ruleId"));
      }
      System.out.printf("LEAK: checked %d answers/events/log (%d chars), %d prompts, %d secret findings%n",
          seen.size(), everything.length(), sim.prompts().size(), secretFindings.size());
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
    }
  }
}
