package io.github.cgscanner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyProvidersTest {
  private static final String AZURE = "https://contoso.openai.azure.com/openai/deployments/review-mini";
  @TempDir Path tmp;

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>(Map.of("OPENAI_API_KEY", "k0", "OPENAI_API_KEY_1", "k1", "OPENAI_API_KEY_2", "k2"));
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private Path file(JsonObject providers) throws Exception {
    Path f = tmp.resolve("c.json");
    Files.writeString(f, new JsonObject().put("keys", new JsonObject().put("providers", providers)).encode());
    return f;
  }

  private static ScannerConfig.Model provider(ScannerConfig c, int key) {
    return c.keys().providerOf(c.keys().apiKeys().get(key));
  }

  @Test
  void eachKeyTakesItsOwnSettingsEnvironmentOverFileOverPoolWide() throws Exception {
    Path f = file(new JsonObject()
        .put("key-1", new JsonObject().put("baseUrl", "http://ignored.example/v1").put("contextTokens", 64000))
        .put("key-2", new JsonObject().put("baseUrl", "http://vllm.internal:8000/v1/").put("name", "qwen2.5-coder:7b")
            .put("prices", new JsonObject().put("input", 0).put("output", 0)).put("maxCompletionTokens", 2048)));
    ScannerConfig c = ConfigLoader.load(f, env("OPENAI_MODEL", "gpt-5.4-mini", "OPENAI_BASE_URL_1", AZURE,
        "OPENAI_MODEL_1", "gpt-4o-mini", "OPENAI_AUTH_STYLE_1", "API-KEY", "OPENAI_API_VERSION_1", "2024-10-21"), Map.of());

    ScannerConfig.Model openai = provider(c, 0);
    assertEquals(c.model(), openai, "key 0 has no suffix: it is the pool-wide model");
    assertEquals("openai", openai.dialect());

    ScannerConfig.Model azure = provider(c, 1);
    assertEquals(AZURE, azure.baseUrl(), "the environment beats the file");
    assertEquals("gpt-4o-mini", azure.name());
    assertEquals("api-key", azure.authStyle());
    assertEquals("2024-10-21", azure.apiVersion());
    assertEquals(64000, azure.contextTokens(), "the file beats the pool-wide value");
    assertEquals("azure", azure.dialect());
    assertTrue(azure.azureDeployment());
    assertEquals("contoso.openai.azure.com", azure.host());

    ScannerConfig.Model local = provider(c, 2);
    assertEquals("http://vllm.internal:8000/v1", local.baseUrl());
    assertEquals("vllm.internal:8000", local.host());
    assertEquals("openai-compatible", local.dialect());
    assertEquals("bearer", local.authStyle(), "unset: the pool-wide value");
    assertEquals("", local.apiVersion());
    assertEquals(2048, local.maxCompletionTokens());
    assertEquals(0.0, local.costUsd(1_000_000, 0, 1_000_000), "its own prices");
    assertTrue(openai.costUsd(1_000_000, 0, 1_000_000) > 0, "the others keep the table's");
    assertTrue(c.keys().describe().contains("key-2 -> vllm.internal:8000 qwen2.5-coder:7b (openai-compatible)"), c.keys().describe());
    assertFalse(c.keys().toString().contains("k1"));
  }

  @Test
  void theSuffixNamesTheVariableOfItsKeyEvenWithGaps() {
    ScannerConfig c = ConfigLoader.load(null, Map.of("OPENAI_API_KEY", "k0", "OPENAI_API_KEY_3", "k3", "OPENAI_MODEL_3", "gpt-5"), Map.of());
    assertEquals("gpt-5", provider(c, 1).name(), "OPENAI_MODEL_3 is for OPENAI_API_KEY_3, which is key-1");
    assertEquals("gpt-5.4-mini", provider(c, 0).name());
  }

  @Test
  void theAzureApiVersionIsPoolWideUnlessAKeySetsItsOwn() {
    ScannerConfig c = ConfigLoader.load(null, env("OPENAI_BASE_URL", AZURE, "OPENAI_API_VERSION", "2025-01-01-preview",
        "OPENAI_AUTH_STYLE", "api-key", "OPENAI_API_VERSION_2", "2024-10-21"), Map.of());
    assertEquals("2025-01-01-preview", provider(c, 0).apiVersion());
    assertEquals("2025-01-01-preview", provider(c, 1).apiVersion());
    assertEquals("2024-10-21", provider(c, 2).apiVersion());
  }

  @Test
  void badSettingsAreOneLineNamingWhereTheyCameFrom() throws Exception {
    Map<Map<String, String>, String> cases = Map.of(
        env("OPENAI_AUTH_STYLE_1", "basic"), "OPENAI_AUTH_STYLE_1",
        env("OPENAI_BASE_URL_2", "ftp://x"), "OPENAI_BASE_URL_2",
        env("OPENAI_API_VERSION_1", "2024 10 21"), "OPENAI_API_VERSION_1",
        env("OPENAI_CONTEXT_TOKENS_2", "lots"), "OPENAI_CONTEXT_TOKENS_2",
        env("OPENAI_MODEL_5", "gpt-5"), "OPENAI_API_KEY_5 is not",
        env("OPENAI_MODEL_0", "gpt-5"), "key 0 has no suffix",
        env("OPENAI_BASE_URL_1", AZURE), "needs an api-version",
        env("OPENAI_BASE_URL_1", "https://x.example/v1?api-version=1"), "no query",
        env("OPENAI_CONTEXT_TOKENS_1", "8192"), "too little room for code");
    cases.forEach((env, expected) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, env, Map.of()), env.toString());
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    });
    ConfigException credentials = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, env("OPENAI_BASE_URL_1", "https://user:s3cr3t@x.example/v1"), Map.of()));
    assertFalse(credentials.getMessage().contains("s3cr3t"), "a URL with credentials is not repeated");

    for (JsonObject providers : List.of(
        new JsonObject().put("key-9", new JsonObject().put("name", "m")),
        new JsonObject().put("key-1", new JsonObject().put("temperature", 0)),
        new JsonObject().put("key-1", "gpt-5"),
        new JsonObject().put("key-1", new JsonObject().put("prices", new JsonObject().put("input", -1).put("output", 1))))) {
      Path f = file(providers);
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, env(), Map.of()), providers.encode());
      assertTrue(e.getMessage().startsWith("keys.providers.key-"), e.getMessage());
    }
  }

  @Test
  void withoutKeysNoPerKeySettingIsLookedAt() {
    ScannerConfig c = ConfigLoader.load(null, Map.of("OPENAI_MODEL_4", "gpt-5"), Map.of());
    assertTrue(c.keys().providers().isEmpty());
  }
}
