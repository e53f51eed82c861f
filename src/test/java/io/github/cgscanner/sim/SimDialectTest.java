package io.github.cgscanner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.llm.PromptBuilder;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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

/** The simulator's Azure and self-hosted dialects refuse what their real counterparts refuse, and count it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class SimDialectTest {
  private static final String KEY = "sk-dialect-test-0123456789abcdef";

  private static JsonObject request(String model) {
    ReviewTask task = new ReviewTask("s:1", "s", "r", "l", 0, 0, List.of(), "scan-s", null,
        List.of(new ReviewTask.Part("src/A.java", 1, 1, VulnPatterns.ALL.get(0).sample(), List.of())), 10);
    return new PromptBuilder(model, 1000).build(task);
  }

  private static Future<HttpResponse<Buffer>> post(WebClient client, String url, String header, String value, JsonObject body) {
    return client.postAbs(url).putHeader(header, value).sendJsonObject(body);
  }

  @Test
  void azureWantsItsDeploymentPathApiKeyHeaderAndApiVersion(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY)
        .azure("review-mini", "2024-10-21", "gpt-4o-mini").limit(600, 0).build());
    WebClient client = WebClient.create(vertx);
    JsonObject body = request("gpt-4o-mini");
    sim.start()
        .compose(p -> {
          String chat = sim.baseUrl() + "/chat/completions";
          return Future.all(List.of(
              post(client, chat + "?api-version=2024-10-21", "api-key", KEY, body),
              post(client, chat + "?api-version=2024-10-21", "Authorization", "Bearer " + KEY, body),
              post(client, chat, "api-key", KEY, body),
              client.getAbs(sim.baseUrl() + "/models?api-version=2024-10-21").putHeader("api-key", KEY).send()));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> rs = all.list();
          assertTrue(sim.baseUrl().endsWith("/openai/deployments/review-mini"), sim.baseUrl());
          assertEquals(200, rs.get(0).statusCode(), rs.get(0).bodyAsString());
          assertEquals("gpt-4o-mini", rs.get(0).bodyAsJsonObject().getString("model"));
          assertTrue(rs.get(0).headers().contains("x-ratelimit-remaining-requests"));
          assertFalse(rs.get(0).headers().contains("x-ratelimit-reset-requests"), "Azure sends no reset times");
          assertFalse(rs.get(0).headers().contains("x-ratelimit-limit-requests"));
          assertEquals(401, rs.get(1).statusCode(), "Bearer is refused");
          assertEquals(404, rs.get(2).statusCode(), "no api-version: Resource not found");
          assertEquals(404, rs.get(3).statusCode(), "a deployment path has no models list");
          assertEquals(3, sim.wrongDialect());
          ctx.completeNow();
        })));
  }

  @Test
  void aSelfHostedServerServesOneModelWithoutRateHeadersAndMayRefuseStrictSchemas(Vertx vertx, VertxTestContext ctx) {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).selfHosted("qwen2.5-coder-7b", true).build());
    WebClient client = WebClient.create(vertx);
    JsonObject strict = request("qwen2.5-coder-7b");
    JsonObject inPrompt = strict.copy();
    JsonObject format = (JsonObject) inPrompt.remove("response_format");
    inPrompt.remove("prompt_cache_key");
    JsonObject system = inPrompt.getJsonArray("messages").getJsonObject(0);
    system.put("content", system.getString("content") + "\nSchema: " + format.getJsonObject("json_schema").getJsonObject("schema").encode());
    sim.start()
        .compose(p -> {
          String chat = sim.baseUrl() + "/chat/completions";
          return Future.all(List.of(
              post(client, chat, "Authorization", "Bearer " + KEY, strict),
              post(client, chat, "Authorization", "Bearer " + KEY, inPrompt),
              post(client, chat, "Authorization", "Bearer " + KEY, inPrompt.copy().put("model", "gpt-5.4-mini")),
              post(client, chat, "api-key", KEY, inPrompt),
              client.getAbs(sim.baseUrl() + "/models").putHeader("Authorization", "Bearer " + KEY).send()));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> rs = all.list();
          assertEquals(400, rs.get(0).statusCode());
          assertEquals("prompt_cache_key", rs.get(0).bodyAsJsonObject().getString("param"), "pydantic's wording, at the top level");
          assertEquals(200, rs.get(1).statusCode(), rs.get(1).bodyAsString());
          String content = rs.get(1).bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
          assertTrue(content.startsWith("```json"), "a chatty local model fences its JSON: " + content);
          assertFalse(rs.get(1).headers().names().stream().anyMatch(h -> h.toLowerCase().startsWith("x-ratelimit")));
          assertEquals(404, rs.get(2).statusCode(), "it serves one model name");
          assertEquals(401, rs.get(3).statusCode());
          assertEquals("qwen2.5-coder-7b", rs.get(4).bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id"));
          assertEquals(1, sim.refusedShape());
          assertEquals(1, sim.wrongDialect(), "the api-key header");
          ctx.completeNow();
        })));
  }
}
