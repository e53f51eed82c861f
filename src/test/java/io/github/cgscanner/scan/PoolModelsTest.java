package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.protocol.KeyState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mixed pool plans each scan for the keys it may use, and knows when none of them is left. */
class PoolModelsTest {
  private static ScannerConfig pool() {
    JsonObject j = ConfigLoader.defaults();
    j.getJsonObject("keys").put("apiKeys", new JsonArray().add("k0").add("k1").add("k2")).put("providers", new JsonObject()
        .put("key-1", new JsonObject().put("name", "gpt-5").put("contextTokens", 400_000))
        .put("key-2", new JsonObject().put("baseUrl", "http://vllm:8000/v1").put("name", "local").put("contextTokens", 16384)
            .put("maxCompletionTokens", 4096).put("prices", new JsonObject().put("input", 0).put("output", 0))));
    return ScannerConfig.fromJson(j);
  }

  private static PoolModels models(ScannerConfig c) {
    return new PoolModels(c.model(), c.keys().providers());
  }

  @Test
  void chunksFitTheTightestEligibleKeyAndTheEstimateIsPricedAtTheDearest() {
    PoolModels pool = models(pool());
    ScannerConfig.Model all = pool.planning(List.of());
    assertEquals(16384, all.contextTokens(), "the self-hosted key has the least room");
    assertEquals(4096, all.maxCompletionTokens());
    assertEquals("gpt-5", all.name(), "gpt-5 is the dearest");
    assertEquals(11.25, all.costUsd(1_000_000, 0, 1_000_000), 1e-9, "gpt-5: $1.25 in, $10 out per 1M");
    ScannerConfig.Model local = pool.planning(List.of("local"));
    assertEquals(0.0, local.costUsd(1_000_000, 0, 1_000_000), "a scan kept on the free server is estimated free");
    assertEquals(128000, pool.planning(List.of("gpt-5.4-mini", "gpt-5")).contextTokens());
    assertEquals("gpt-5.4-mini,gpt-5,local", pool.describe(List.of()));
    assertEquals("local", pool.describe(List.of("local", "nobody's")));
    assertFalse(pool.serves(List.of("nobody's")));
    assertTrue(pool.serves(List.of("nobody's", "local")));
  }

  @Test
  void aScanRunsOutOfKeysWhenTheKeysOfItsModelsAreDisabled() {
    ScannerConfig c = pool();
    KeyStates keys = new KeyStates(models(c).modelByAlias());
    assertNull(keys.unusable(List.of("local")), "a key that has not spoken yet is starting");
    keys.update(disabled("key-2", KeyState.MODEL_UNAVAILABLE));
    assertEquals(FailureCode.MODEL_UNAVAILABLE, keys.unusable(List.of("local")));
    assertNull(keys.unusable(List.of()), "the other keys still serve an unrestricted scan");
    assertEquals(FailureCode.NO_USABLE_KEY, keys.unusable(List.of("nobody's")));
    keys.update(disabled("key-0", "unauthorized"));
    keys.update(disabled("key-1", KeyState.MODEL_UNAVAILABLE));
    assertEquals(FailureCode.NO_USABLE_KEY, keys.unusable(List.of()));
  }

  private static KeyState disabled(String alias, String reason) {
    return KeyState.fromJson(new JsonObject().put("key", alias).put("state", KeyState.DISABLED).put("disabledReason", reason));
  }

  @Test
  void optionsModelsIsAListOfNames() {
    assertEquals(List.of("local", "gpt-5"), ScanOptions.fromJson(new JsonObject().put("models",
        new JsonArray().add("local").add("gpt-5").add("local"))).models());
    assertEquals(List.of(), ScanOptions.none().models());
    for (Object bad : List.of("local", new JsonArray(), new JsonArray().add(3), new JsonArray().add("two words"))) {
      assertThrows(IllegalArgumentException.class, () -> ScanOptions.fromJson(new JsonObject().put("models", bad)), String.valueOf(bad));
    }
    ScanOptions o = ScanOptions.fromJson(new JsonObject().put("models", new JsonArray().add("local")));
    assertEquals(o, ScanOptions.fromJson(o.toJson()), "it travels with the scan");
    assertEquals(ScanOptions.none(), ScanOptions.fromJson(ScanOptions.none().toJson()));
  }
}
