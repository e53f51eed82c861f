package io.github.cgscanner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  @Test
  void defaultsMatchTheSpec() {
    ScannerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertEquals("https://api.openai.com/v1", c.model().baseUrl());
    assertEquals("gpt-5.4-mini", c.model().name());
    assertEquals(128000, c.model().contextTokens());
    assertEquals(8080, c.http().port());
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(List.of("github.com", "gitlab.com", "bitbucket.org"), c.sources().gitHosts());
    assertEquals(300, c.scan().shardThreshold());
    assertEquals(2, c.scan().maxWorkersPerScan());
    assertEquals(200L << 20, c.sources().maxUploadBytes());
    assertEquals(Duration.ofHours(24), c.scan().retention());
    assertEquals(5701, c.cluster().port());
    assertEquals(5801, c.cluster().eventBusPort());
    assertEquals("127.0.0.1", c.cluster().publicHost());
    assertFalse(c.modelReviewEnabled());
    assertEquals(Duration.ofDays(30), c.cache().ttl());
    assertEquals("owner", c.cache().scope());
    assertTrue(c.cache().enabled());
  }

  @Test
  void theReviewCacheIsOffAtZeroAndSharedOnlyWhenAsked() throws Exception {
    assertFalse(ConfigLoader.load(null, Map.of("SCANNER_REVIEW_CACHE_TTL", "0"), Map.of()).cache().enabled());
    assertEquals(Duration.ofHours(12), ConfigLoader.load(null, Map.of("SCANNER_REVIEW_CACHE_TTL", "12h"), Map.of()).cache().ttl());
    Path shared = tmp.resolve("shared.json");
    Files.writeString(shared, "{\"cache\":{\"scope\":\"cluster\",\"ttl\":0}}");
    ScannerConfig c = ConfigLoader.load(shared, Map.of(), Map.of());
    assertEquals("cluster", c.cache().scope());
    assertFalse(c.cache().enabled());
    Path everyone = tmp.resolve("everyone.json");
    Files.writeString(everyone, "{\"cache\":{\"scope\":\"everyone\"}}");
    ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(everyone, Map.of(), Map.of()));
    assertTrue(bad.getMessage().startsWith("cache.scope"), bad.getMessage());
  }

  @Test
  void theEventBusPortFollowsTheClusterPortUnlessSet() {
    assertEquals(5802, ConfigLoader.load(null, Map.of("CLUSTER_PORT", "5702"), Map.of()).cluster().eventBusPort());
    assertEquals(6000, ConfigLoader.load(null, Map.of("CLUSTER_PORT", "5702", "CLUSTER_EVENTBUS_PORT", "6000"), Map.of()).cluster().eventBusPort());
    assertEquals(0, ConfigLoader.load(null, Map.of("CLUSTER_EVENTBUS_PORT", "0"), Map.of()).cluster().eventBusPort());
    assertEquals(6001, ConfigLoader.load(null, Map.of("CLUSTER_EVENTBUS_PORT", "6001"), Map.of()).cluster().eventBusPort());
    ConfigException same = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("CLUSTER_PORT", "6000", "CLUSTER_EVENTBUS_PORT", "6000"), Map.of()));
    assertTrue(same.getMessage().contains("must differ"), same.getMessage());
    assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("CLUSTER_EVENTBUS_PORT", "70000"), Map.of()));
  }

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    Path file = tmp.resolve("c.json");
    Files.writeString(file, new JsonObject()
        .put("http", new JsonObject().put("port", 9000).put("host", "127.0.0.2"))
        .put("scan", new JsonObject().put("maxRunning", 7).put("retention", "2h")).encode());
    ScannerConfig c = ConfigLoader.load(file, Map.of("PORT", "9100", "SCANNER_MAX_QUEUED_SCANS", "3",
        "OPENAI_API_KEY_2", "k2", "OPENAI_API_KEY", "k0", "OPENAI_API_KEY_1", "k1"), Map.of("http.port", 9200));
    assertEquals(9200, c.http().port(), "a flag beats the environment");
    assertEquals("127.0.0.2", c.http().host(), "the file beats the defaults");
    assertEquals(7, c.scan().maxRunning());
    assertEquals(3, c.scan().maxQueued(), "the environment beats the defaults");
    assertEquals(Duration.ofHours(2), c.scan().retention());
    assertEquals(List.of("k0", "k1", "k2"), c.keys().apiKeys().stream().map(ApiKey::secret).toList());
    assertEquals("[key-0, key-1, key-2]", c.keys().apiKeys().toString(), "keys print as aliases");
  }

  @Test
  void theDefaultTokenBudgetCoversTheLargestScanTheDefaultsAllow() {
    // Measured with scan.EstimateMain: 2,000-3,500 estimated tokens per selected file on spring-framework
    // (9,772 files, 19.4M) and kafka (5,874 files, 20.5M). A budget below maxFiles x 3,500 fails ordinary
    // large repositories with budget_exceeded before a single request.
    ScannerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertTrue(c.scan().maxTokens() >= (long) c.scan().maxFiles() * 3_500, "default scan.maxTokens " + c.scan().maxTokens());
  }

  @Test
  void secretsNeverPrint() {
    ScannerConfig c = ConfigLoader.load(null, Map.of("OPENAI_API_KEY", "secret-1", "SCANNER_API_TOKENS", "a,b"), Map.of());
    assertFalse(c.toString().contains("secret-1"));
    assertFalse(c.auth().toString().contains("a,b"));
  }

  @Test
  void badValuesAreOneClearLine() throws Exception {
    assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp.resolve("missing.json"), Map.of(), Map.of()));
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of(), Map.of()));
    assertFalse(e.getMessage().contains("\n"));
    for (Map<String, String> env : List.of(Map.of("PORT", "eighty"), Map.of("PORT", "70000"),
        Map.of("OPENAI_AUTH_STYLE", "basic"), Map.of("SCANNER_SCAN_RETENTION", "soon"),
        Map.of("SCANNER_MAX_UPLOAD_BYTES", "-5"), Map.of("OPENAI_BASE_URL", "ftp://x"),
        Map.of("SCANNER_ALLOW_NO_AUTH", "maybe"), Map.of("SCANNER_REVIEW_VERIFY", "sometimes"),
        Map.of("SCANNER_REVIEW_CACHE_TTL", "a month"))) {
      ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, env, Map.of()), env.toString());
      assertTrue(bad.getMessage().contains(".") || bad.getMessage().contains("_"), bad.getMessage());
    }
    Path withKey = tmp.resolve("key.json");
    Files.writeString(withKey, "{\"keys\":{\"apiKeys\":[\"sk-x\"]}}");
    assertThrows(ConfigException.class, () -> ConfigLoader.load(withKey, Map.of(), Map.of()), "keys never come from the file");
  }

  @Test
  void theVerificationPassIsOnForHighFindingsByDefaultAndCanBeTurnedOff() {
    assertEquals(io.github.cgscanner.domain.VerifyMode.HIGH, ConfigLoader.load(null, Map.of(), Map.of()).review().verify());
    assertEquals(io.github.cgscanner.domain.VerifyMode.OFF,
        ConfigLoader.load(null, Map.of("SCANNER_REVIEW_VERIFY", "off"), Map.of()).review().verify());
    assertEquals(io.github.cgscanner.domain.VerifyMode.ALL,
        ConfigLoader.load(null, Map.of("SCANNER_REVIEW_VERIFY", "ALL"), Map.of()).review().verify());
  }

  @Test
  void sizesAndDurations() {
    assertEquals(200L << 20, Durations.parseSize("x", "200MiB"));
    assertEquals(1024, Durations.parseSize("x", "1k"));
    assertEquals(Duration.ofMinutes(90), Durations.parseDuration("x", "90m"));
    assertEquals(Duration.ofDays(1), Durations.parseDuration("x", "P1D"));
    assertEquals("1d", Durations.format(Duration.ofHours(24)));
    assertEquals("90m", Durations.format(Duration.ofMinutes(90)));
  }
}
