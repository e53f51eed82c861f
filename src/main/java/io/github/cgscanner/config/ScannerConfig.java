package io.github.cgscanner.config;

import io.github.cgscanner.domain.VerifyMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole configuration, immutable, validated once by {@link ConfigLoader}. Each verticle is given
 * only its slice (a key verticle its own key), as constructor arguments: no verticle sees the whole of
 * it, and the keys never travel as JSON.
 */
public record ScannerConfig(
    Model model, Keys keys, Http http, Auth auth, Sources sources, Scan scan, Store store, Cache cache, Cluster cluster,
    Log log, Review review) {

  public record Model(
      String baseUrl,
      String name,
      String authStyle,
      int contextTokens,
      int maxCompletionTokens,
      int maxChunkTokens,
      Duration requestTimeout,
      String tokenAccounting,
      JsonObject prices) {

    /** Price per 1M tokens for this model, or null when the table does not know it. */
    public JsonObject priceFor(String model) {
      JsonObject p = prices.getJsonObject(model);
      return p != null ? p : prices.getJsonObject("default");
    }

    public double costUsd(long promptTokens, long cachedTokens, long completionTokens) {
      JsonObject p = priceFor(name);
      if (p == null) return 0;
      long uncached = Math.max(0, promptTokens - cachedTokens);
      return (uncached * p.getDouble("input", 0.0)
              + cachedTokens * p.getDouble("cachedInput", p.getDouble("input", 0.0))
              + completionTokens * p.getDouble("output", 0.0))
          / 1_000_000.0;
    }
  }

  /** {@code apiKeys} never appear in toString (ApiKey prints its alias). */
  public record Keys(List<ApiKey> apiKeys, JsonObject limits, int maxInFlightPerKey) {}

  public record Http(String host, int port) {}

  public record Auth(List<String> tokens, List<String> adminTokens, boolean allowNoAuth) {
    public boolean enabled() {
      return !tokens.isEmpty() || !adminTokens.isEmpty();
    }

    @Override
    public String toString() {
      return "Auth[tokens=" + tokens.size() + ", adminTokens=" + adminTokens.size() + ", allowNoAuth=" + allowNoAuth + "]";
    }
  }

  public record Sources(
      List<String> localPathRoots,
      List<String> gitHosts,
      long maxUploadBytes,
      long maxFileBytes,
      int maxArchiveEntries,
      long maxInflatedBytes,
      long maxRepoBytes,
      Duration cloneTimeout,
      int maxUploadsInProgress,
      int maxUploadsPerToken) {}

  public record Scan(
      int shardThreshold,
      int maxWorkersPerScan,
      int maxRunning,
      int maxQueued,
      int maxFiles,
      long maxTokens,
      Duration retention,
      int maxAttempts,
      Duration maxDuration,
      int maxPreparingPerToken) {}

  /**
   * Where scans live. {@code memory}: Hazelcast maps when clustered, local maps when standalone, at most
   * {@code maxScansInMemory} finished scans (the oldest leave first) and none past {@code scan.retention}.
   */
  public record Store(String kind, int maxScansInMemory) {}

  /**
   * The review cache: a validated review of the same masked code is reused for {@code ttl} (zero: never
   * cached). {@code scope} {@code owner}: a token's reviews serve only that token's scans; {@code cluster}:
   * every scan. At most {@code maxEntries} reviews per worker, the least recently used leave first.
   */
  public record Cache(Duration ttl, String scope, int maxEntries) {
    public static final String OWNER = "owner";
    public static final String CLUSTER = "cluster";
    public static final Cache OFF = new Cache(Duration.ZERO, OWNER, 1);

    public boolean enabled() {
      return !ttl.isZero();
    }
  }

  /**
   * @param eventBusPort where the Vert.x event bus listens for peers; 0 = any free port
   * @param kubernetesServiceDns a headless Service's DNS name: members are found through Hazelcast's
   *     Kubernetes discovery instead of {@code members}; empty = TCP-IP join
   */
  public record Cluster(String host, int port, int eventBusPort, String publicHost, List<String> members, String name, int minSize,
      Duration joinTimeout, String kubernetesServiceDns) {}

  public record Log(String format, String level) {}

  /** @param verify which model findings the verification pass looks at again, unless a scan's {@code options.verify} says otherwise */
  public record Review(VerifyMode verify) {}

  public boolean modelReviewEnabled() {
    return !keys.apiKeys().isEmpty();
  }

  /** The validating constructor used by {@link ConfigLoader}: defaults must already be merged in. */
  public static ScannerConfig fromJson(JsonObject json) {
    return ConfigLoader.build(json);
  }
}
