package io.github.cgscanner.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole configuration, immutable. Built once by {@link ConfigLoader} and handed to verticles as
 * JSON ({@link #toJson()} / {@link #fromJson(JsonObject)}) through {@code DeploymentOptions.setConfig}.
 * The JSON form carries the API keys so that key verticles can use them: it never leaves the JVM and
 * is never logged.
 */
public record ScannerConfig(
    Model model, Keys keys, Http http, Auth auth, Sources sources, Scan scan, Cluster cluster, Log log) {

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
      Duration cloneTimeout) {}

  public record Scan(
      int shardThreshold,
      int maxWorkersPerScan,
      int maxRunning,
      int maxQueued,
      int maxFiles,
      long maxTokens,
      Duration retention,
      int maxAttempts) {}

  /**
   * @param eventBusPort where the Vert.x event bus listens for peers; 0 = any free port
   * @param kubernetesServiceDns a headless Service's DNS name: members are found through Hazelcast's
   *     Kubernetes discovery instead of {@code members}; empty = TCP-IP join
   */
  public record Cluster(String host, int port, int eventBusPort, String publicHost, List<String> members, String name, int minSize,
      Duration joinTimeout, String kubernetesServiceDns) {}

  public record Log(String format, String level) {}

  public boolean modelReviewEnabled() {
    return !keys.apiKeys().isEmpty();
  }

  public JsonObject toJson() {
    JsonArray secrets = new JsonArray();
    keys.apiKeys().forEach(k -> secrets.add(k.secret()));
    return new JsonObject()
        .put("model", new JsonObject()
            .put("baseUrl", model.baseUrl)
            .put("name", model.name)
            .put("authStyle", model.authStyle)
            .put("contextTokens", model.contextTokens)
            .put("maxCompletionTokens", model.maxCompletionTokens)
            .put("maxChunkTokens", model.maxChunkTokens)
            .put("requestTimeout", Durations.format(model.requestTimeout))
            .put("tokenAccounting", model.tokenAccounting)
            .put("prices", model.prices.copy()))
        .put("keys", new JsonObject()
            .put("apiKeys", secrets)
            .put("limits", keys.limits.copy())
            .put("maxInFlightPerKey", keys.maxInFlightPerKey))
        .put("http", new JsonObject().put("host", http.host).put("port", http.port))
        .put("auth", new JsonObject()
            .put("tokens", new JsonArray(new ArrayList<>(auth.tokens)))
            .put("adminTokens", new JsonArray(new ArrayList<>(auth.adminTokens)))
            .put("allowNoAuth", auth.allowNoAuth))
        .put("sources", new JsonObject()
            .put("localPathRoots", new JsonArray(new ArrayList<>(sources.localPathRoots)))
            .put("gitHosts", new JsonArray(new ArrayList<>(sources.gitHosts)))
            .put("maxUploadBytes", sources.maxUploadBytes)
            .put("maxFileBytes", sources.maxFileBytes)
            .put("maxArchiveEntries", sources.maxArchiveEntries)
            .put("maxInflatedBytes", sources.maxInflatedBytes)
            .put("maxRepoBytes", sources.maxRepoBytes)
            .put("cloneTimeout", Durations.format(sources.cloneTimeout)))
        .put("scan", new JsonObject()
            .put("shardThreshold", scan.shardThreshold)
            .put("maxWorkersPerScan", scan.maxWorkersPerScan)
            .put("maxRunning", scan.maxRunning)
            .put("maxQueued", scan.maxQueued)
            .put("maxFiles", scan.maxFiles)
            .put("maxTokens", scan.maxTokens)
            .put("retention", Durations.format(scan.retention))
            .put("maxAttempts", scan.maxAttempts))
        .put("cluster", new JsonObject()
            .put("host", cluster.host)
            .put("port", cluster.port)
            .put("eventBusPort", cluster.eventBusPort)
            .put("publicHost", cluster.publicHost)
            .put("members", new JsonArray(new ArrayList<>(cluster.members)))
            .put("name", cluster.name)
            .put("minSize", cluster.minSize)
            .put("joinTimeout", Durations.format(cluster.joinTimeout))
            .put("kubernetesServiceDns", cluster.kubernetesServiceDns))
        .put("log", new JsonObject().put("format", log.format).put("level", log.level));
  }

  /** Inverse of {@link #toJson()}; also the validating constructor used by {@link ConfigLoader}. */
  public static ScannerConfig fromJson(JsonObject json) {
    return ConfigLoader.build(json);
  }
}
