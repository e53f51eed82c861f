package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestShapeTest {
  private static JsonObject strict() {
    ReviewTask task = new ReviewTask("s:1", "s", "r", "l", 0, 0, List.of(), "scan-s", null,
        List.of(new ReviewTask.Part("a/B.java", 3, 3, "String q = \"select \" + name;", List.of())), 10);
    return new PromptBuilder("local-model", 1000).build(task);
  }

  @Test
  void theSchemaMovesIntoTheFixedSystemMessageAndTheStrictFieldsGo() {
    JsonObject strict = strict();
    JsonObject fallback = RequestShape.schemaInPrompt(strict);
    assertFalse(fallback.containsKey("response_format"));
    assertFalse(fallback.containsKey("prompt_cache_key"));
    assertTrue(strict.containsKey("response_format"), "the strict request is left as it was");
    String system = fallback.getJsonArray("messages").getJsonObject(0).getString("content");
    assertTrue(system.startsWith(PromptBuilder.SYSTEM_PROMPT));
    assertTrue(system.endsWith(ReviewSchema.schema().encode()), "the very schema strict mode enforces");
    assertEquals(strict.getJsonArray("messages").getJsonObject(1), fallback.getJsonArray("messages").getJsonObject(1));
    assertEquals("local-model", fallback.getString("model"));
    assertEquals(system, RequestShape.schemaInPrompt(strict()).getJsonArray("messages").getJsonObject(0).getString("content"),
        "the same bytes every time: the prompt cache still serves the prefix");
  }

  @Test
  void theJsonIsTakenFromAroundItsFence() {
    assertEquals("{\"findings\": []}", RequestShape.jsonOf("```json\n{\"findings\": []}\n```"));
    assertEquals("{\"findings\": [{}]}", RequestShape.jsonOf("Here you go: {\"findings\": [{}]} Hope it helps."));
    assertEquals("no json", RequestShape.jsonOf("no json"));
  }

  @Test
  void refusalsAreToldApart() {
    JsonObject vllm = new JsonObject().put("object", "error").put("message", "prompt_cache_key\n  Extra inputs are not permitted")
        .put("type", "BadRequestError").put("param", null).put("code", 400);
    assertTrue(ChatClient.aboutShape(ChatClient.errorOf(vllm), ChatClient.errorOf(vllm).getString("message")), "top-level, pydantic");
    JsonObject ollama = new JsonObject().put("error", "json: unknown field \"prompt_cache_key\"");
    assertTrue(ChatClient.aboutShape(ChatClient.errorOf(ollama), ChatClient.errorOf(ollama).getString("message")));
    JsonObject openai = new JsonObject().put("message", "Invalid schema for response_format 'security_review'").put("param", "response_format");
    assertTrue(ChatClient.aboutShape(openai, openai.getString("message")));
    assertFalse(ChatClient.aboutModel(openai, openai.getString("message")));
    JsonObject unknownModel = new JsonObject().put("message", "The model `gpt-9` does not exist").put("code", "model_not_found");
    assertTrue(ChatClient.aboutModel(unknownModel, unknownModel.getString("message")));
    JsonObject tooLong = new JsonObject().put("message", "This model's maximum context length is 8192 tokens").put("param", "messages")
        .put("code", "context_length_exceeded");
    assertFalse(ChatClient.aboutShape(tooLong, tooLong.getString("message")), "about this chunk, not the request shape");
    assertFalse(ChatClient.aboutModel(tooLong, tooLong.getString("message")));
  }

  @Test
  void theUrlCarriesTheApiVersionWhenThereIsOne() {
    JsonObject j = ConfigLoader.defaults();
    j.getJsonObject("model").put("baseUrl", "https://c.openai.azure.com/openai/deployments/d").put("apiVersion", "2024-10-21");
    ScannerConfig.Model azure = ScannerConfig.fromJson(j).model();
    assertEquals("https://c.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21",
        ChatClient.url(azure, "/chat/completions"));
    assertEquals("https://api.openai.com/v1/models", ChatClient.url(ScannerConfig.fromJson(ConfigLoader.defaults()).model(), "/models"));
  }
}
