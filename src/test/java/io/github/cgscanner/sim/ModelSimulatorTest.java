package io.github.cgscanner.sim;

import io.github.cgscanner.protocol.ReviewTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.llm.PromptBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ModelSimulatorTest {
  private static final String KEY = "sk-sim-test-0123456789abcdef";

  private static JsonObject request(String code, int startLine) {
    ReviewTask task = new ReviewTask("s:1", "s", "r", "l", 0, 0, List.of(), "scan-s", null,
        List.of(new ReviewTask.Part("src/A.java", startLine, startLine + code.split("\n").length - 1, code, List.of())), 10);
    return new PromptBuilder("gpt-5.4-mini", 1000).build(task);
  }

  private static Future<HttpResponse<Buffer>> post(WebClient client, ModelSimulator sim, String key, JsonObject body) {
    return client.postAbs(sim.baseUrl() + "/chat/completions").putHeader("Authorization", "Bearer " + key).sendJsonObject(body);
  }

  @Test
  void answersFromTheCodeItIsSentAtTheExactLines(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).build());
    WebClient client = WebClient.create(vertx);
    String code = String.join("\n", "int a;", VulnPatterns.ALL.get(1).sample(), "// nothing", VulnPatterns.ALL.get(8).sample());
    sim.start()
        .compose(p -> post(client, sim, KEY, request(code, 40)))
        .compose(first -> post(client, sim, KEY, request(code, 40)).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          JsonObject body = responses.get(0).bodyAsJsonObject();
          assertEquals(200, responses.get(0).statusCode());
          JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
          assertEquals("stop", choice.getString("finish_reason"));
          JsonArray findings = new JsonObject(choice.getJsonObject("message").getString("content")).getJsonArray("findings");
          assertEquals(2, findings.size());
          assertEquals(41, findings.getJsonObject(0).getInteger("startLine"));
          assertEquals("CWE-78", findings.getJsonObject(0).getString("cwe"));
          assertEquals(VulnPatterns.ALL.get(1).sample(), findings.getJsonObject(0).getString("evidence"));
          assertEquals(43, findings.getJsonObject(1).getInteger("startLine"));
          assertEquals("CWE-328", findings.getJsonObject(1).getString("cwe"));
          assertEquals(0, body.getJsonObject("usage").getJsonObject("prompt_tokens_details").getInteger("cached_tokens"));
          assertTrue(responses.get(1).bodyAsJsonObject().getJsonObject("usage").getJsonObject("prompt_tokens_details")
              .getInteger("cached_tokens") > 0, "the same prompt_cache_key hits the cache");
          assertEquals(2, sim.prompts().size());
          ctx.completeNow();
        })));
  }

  @Test
  void varyingAnswersChangeCweEndLineAndOrderButNotWhatIsFound(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).varyAnswers().seed(3).build());
    WebClient client = WebClient.create(vertx);
    String sql = VulnPatterns.ALL.get(0).sample();
    String code = String.join("\n", sql, "int a;", sql, "int b;", VulnPatterns.ALL.get(7).sample(), "int c;");
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Set<String> places = new java.util.HashSet<>();
    Future<Void> chain = sim.start().mapEmpty();
    for (int i = 0; i < 12; i++) {
      chain = chain.compose(v -> post(client, sim, KEY, request(code, 10)).map(r -> {
        JsonObject message = r.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        JsonArray findings = new JsonObject(message.getString("content")).getJsonArray("findings");
        StringBuilder answer = new StringBuilder();
        java.util.Set<Integer> starts = new java.util.TreeSet<>();
        for (Object o : findings) {
          JsonObject f = (JsonObject) o;
          answer.append(f.getInteger("startLine")).append('-').append(f.getInteger("endLine")).append(f.getString("cwe")).append(';');
          starts.add(f.getInteger("startLine"));
        }
        seen.add(answer.toString());
        places.add(starts.toString());
        return null;
      }));
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(java.util.Set.of("[10, 12, 14]"), places, "the same lines are found every time");
      assertTrue(seen.size() > 3, "answers vary: " + seen);
      ctx.completeNow();
    })));
  }

  @Test
  void unknownKeyIs401AndEchoesAFragmentLikeTheRealService(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).build());
    WebClient client = WebClient.create(vertx);
    sim.start()
        .compose(p -> post(client, sim, "sk-wrong-key-99998888", request("x", 1)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(401, r.statusCode());
          assertTrue(r.bodyAsString().contains("sk-wr****8888"), r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  void looseSchemaAndMissingMaxTokensAre400AndAnUnknownModel404(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).build());
    WebClient client = WebClient.create(vertx);
    JsonObject loose = request("x", 1);
    loose.getJsonObject("response_format").getJsonObject("json_schema").getJsonObject("schema").put("additionalProperties", true);
    JsonObject notStrict = request("x", 1);
    notStrict.getJsonObject("response_format").getJsonObject("json_schema").put("strict", false);
    JsonObject model = request("x", 1).put("model", "gpt-0");
    JsonObject noMax = request("x", 1);
    noMax.remove("max_completion_tokens");
    sim.start()
        .compose(p -> Future.all(post(client, sim, KEY, loose), post(client, sim, KEY, notStrict), post(client, sim, KEY, model),
            post(client, sim, KEY, noMax), post(client, sim, KEY, request("x", 1))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 4; i++) {
            // As OpenAI: an unknown model is 404 model_not_found, a bad request shape 400.
            assertEquals(i == 2 ? 404 : 400, all.<HttpResponse<Buffer>>resultAt(i).statusCode(), "request " + i);
          }
          assertTrue(all.<HttpResponse<Buffer>>resultAt(2).bodyAsString().contains("model_not_found"));
          assertEquals(200, all.<HttpResponse<Buffer>>resultAt(4).statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void limitsAnswer429WithOpenAiHeaders(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).limit(60, 1_000_000).burstSeconds(2).build());
    WebClient client = WebClient.create(vertx);
    sim.start()
        .compose(p -> post(client, sim, KEY, request("x", 1)))
        .compose(a -> post(client, sim, KEY, request("x", 1)).map(b -> List.of(a, b)))
        .compose(ab -> post(client, sim, KEY, request("x", 1)).map(c -> List.of(ab.get(0), ab.get(1), c)))
        .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
          assertEquals(200, rs.get(0).statusCode());
          assertEquals("60", rs.get(0).getHeader("x-ratelimit-limit-requests"));
          assertEquals("1", rs.get(0).getHeader("x-ratelimit-remaining-requests"));
          assertTrue(rs.get(0).getHeader("x-ratelimit-reset-requests").matches("\\d+(\\.\\d+)?m?s"), rs.get(0).getHeader("x-ratelimit-reset-requests"));
          assertEquals(200, rs.get(1).statusCode());
          HttpResponse<Buffer> limited = rs.get(2);
          assertEquals(429, limited.statusCode());
          JsonObject error = limited.bodyAsJsonObject().getJsonObject("error");
          assertEquals("rate_limit_exceeded", error.getString("code"));
          assertTrue(error.getString("message").matches(".*Please try again in \\d+\\.\\d{3}s\\..*"), error.getString("message"));
          assertNotNull(limited.getHeader("retry-after-ms"));
          assertNotNull(limited.getHeader("retry-after"));
          assertEquals(1, sim.responses("key-0", 429));
          ctx.completeNow();
        })));
  }

  @Test
  void groupedKeysShareOneBudget(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY, "sk-two")
        .group("proj", List.of(KEY, "sk-two"), 60, 0).burstSeconds(1).headerStyle(SimulatorOptions.HeaderStyle.INTEGER).build());
    WebClient client = WebClient.create(vertx);
    sim.start()
        .compose(p -> post(client, sim, KEY, request("x", 1)))
        .compose(a -> post(client, sim, "sk-two", request("x", 1)).map(b -> List.of(a, b)))
        .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
          assertEquals(200, rs.get(0).statusCode());
          assertEquals("1", rs.get(0).getHeader("x-ratelimit-reset-requests"), "integer seconds");
          assertEquals(429, rs.get(1).statusCode(), "the second key of the group finds the budget spent");
          ctx.completeNow();
        })));
  }

  @Test
  void modelsListCarriesTheShutdownDate(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).shutdownDate("2027-01-15").build());
    WebClient client = WebClient.create(vertx);
    sim.start()
        .compose(p -> client.getAbs(sim.baseUrl() + "/models").putHeader("Authorization", "Bearer " + KEY).send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject m = r.bodyAsJsonObject().getJsonArray("data").getJsonObject(0);
          assertEquals("gpt-5.4-mini", m.getString("id"));
          assertEquals("2027-01-15", m.getString("shutdown_date"));
          ctx.completeNow();
        })));
  }

  @Test
  void durationFormat() {
    assertEquals("20ms", ModelSimulator.reset(20, SimulatorOptions.HeaderStyle.DURATION));
    assertEquals("1.5s", ModelSimulator.reset(1500, SimulatorOptions.HeaderStyle.DURATION));
    assertEquals("6m0s", ModelSimulator.reset(360_000, SimulatorOptions.HeaderStyle.DURATION));
    assertEquals("2", ModelSimulator.reset(1001, SimulatorOptions.HeaderStyle.INTEGER));
  }

  @Test
  void mainParsesFlags() {
    SimulatorOptions o = ModelSimulatorMain.parse(new String[] {"--port", "0", "--keys", "a,b", "--rpm", "60", "--tpm", "1000",
        "--group", "g:a+b:100:2000", "--latency-ms", "2000", "--fault-500", "0.1", "--integer-headers", "--seed", "7"});
    assertEquals(List.of("a", "b"), o.keys());
    assertEquals(new SimulatorOptions.Limit(60, 1000), o.defaultLimit());
    assertEquals(List.of("a", "b"), o.groups().get(0).keys());
    assertEquals(2000, o.latencyMs());
    assertEquals(0.1, o.faults().error500());
    assertEquals(SimulatorOptions.HeaderStyle.INTEGER, o.headerStyle());
  }
}
