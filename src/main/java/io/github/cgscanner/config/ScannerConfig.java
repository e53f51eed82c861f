package io.github.cgscanner.config;

import io.github.cgscanner.domain.VerifyMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole configuration, immutable, validated once by {@link ConfigLoader}. Each verticle is given
 * only its slice (a key verticle its own key), as constructor arguments: no verticle sees the whole of
 * it, and the keys never travel as JSON.
 */
public record ScannerConfig(
    Model model, Keys keys, Http http, Auth auth, Sources sources, Scan scan, Store store, Cache cache, Cluster cluster,
    Log log, Review review) {

  /**
   * A model endpoint: the pool-wide one ({@code model.*}), or one key's own, resolved by
   * {@link KeyProviders} from {@code keys.providers} and the {@code _N} variables. {@code apiVersion} is
   * sent as {@code ?api-version=} when not empty.
   */
  public record Model(
      String baseUrl,
      String name,
      String authStyle,
      String apiVersion,
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

    /** The dialect of an OpenAI endpoint; a self-hosted server, LiteLLM or any proxy is {@code openai-compatible}. */
    public static final String OPENAI = "openai";
    public static final String AZURE = "azure";
    public static final String COMPATIBLE = "openai-compatible";

    /** Where requests go, as shown per key: host and port, never a path or a query. */
    public String host() {
      URI uri = URI.create(baseUrl);
      return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** An Azure OpenAI deployment URL: the deployment is in the path, and it has no models list. */
    public boolean azureDeployment() {
      return URI.create(baseUrl).getPath().contains(KeyProviders.AZURE_DEPLOYMENT_PATH);
    }

    public String dialect() {
      String host = URI.create(baseUrl).getHost().toLowerCase(Locale.ROOT);
      if (azureDeployment() || host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")) return AZURE;
      return host.equals("api.openai.com") ? OPENAI : COMPATIBLE;
    }

    /** The same model with a smaller context: what chunks must fit when several keys may take them. */
    public Model withContextTokens(int tokens) {
      return new Model(baseUrl, name, authStyle, apiVersion, tokens, maxCompletionTokens, maxChunkTokens, requestTimeout,
          tokenAccounting, prices);
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

  /**
   * {@code apiKeys} never appear in toString (ApiKey prints its alias). {@code providers}: each key's
   * own model endpoint by alias, in key order, complete (unset values are the pool-wide ones).
   */
  public record Keys(List<ApiKey> apiKeys, JsonObject limits, int maxInFlightPerKey, Map<String, Model> providers) {
    public Model providerOf(ApiKey key) {
      return providers.get(key.alias());
    }

    /** One line per distinct endpoint and model, for the start-up log: {@code key-0,key-1 → api.openai.com gpt-5.4-mini (openai)}. */
    public String describe() {
      Map<String, String> byProvider = new java.util.LinkedHashMap<>();
      providers.forEach((alias, m) -> byProvider.merge(m.host() + " " + m.name() + " (" + m.dialect() + ")", alias,
          (a, b) -> a + "," + b));
      List<String> parts = new java.util.ArrayList<>();
      byProvider.forEach((provider, aliases) -> parts.add(aliases + " -> " + provider));
      return String.join("; ", parts);
    }
  }

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
   * Where scans live (SPEC "State lives in a store"). {@code kind} is {@code embedded}, {@code postgres},
   * {@code memory}, or null when not chosen: {@link StoreChoice} decides it for the command being run.
   * {@code dataDir} null means the command's default directory. {@code memory} keeps at most
   * {@code maxScansInMemory} finished scans (the oldest leave first) and none past {@code scan.retention}.
   *
   * @param dataDirExplicit the directory was named (SCANNER_DATA_DIR, the file, {@code --data-dir}): an
   *     unwritable one is then an error, never a fallback
   * @param password never printed: {@link #toString()} leaves it out
   */
  public record Store(String kind, Path dataDir, boolean dataDirExplicit, String url, String user, String password,
      int poolSize, Duration maxOutage, int maxScansInMemory, boolean keepLatestPerProject) {
    public static final String EMBEDDED = "embedded";
    public static final String POSTGRES = "postgres";
    public static final String MEMORY = "memory";

    public Store withKind(String newKind) {
      return new Store(newKind, dataDir, dataDirExplicit, url, user, password, poolSize, maxOutage, maxScansInMemory,
          keepLatestPerProject);
    }

    public Store withDataDir(Path dir, boolean explicit) {
      return new Store(kind, dir, explicit, url, user, password, poolSize, maxOutage, maxScansInMemory, keepLatestPerProject);
    }

    @Override
    public String toString() {
      return "Store[kind=" + kind + ", dataDir=" + dataDir + ", url=" + StoreChoice.loggable(url) + ", user=" + user
          + ", password=" + (password == null || password.isEmpty() ? "none" : "***") + ", poolSize=" + poolSize + "]";
    }
  }

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

  public ScannerConfig withStore(Store chosen) {
    return new ScannerConfig(model, keys, http, auth, sources, scan, chosen, cache, cluster, log, review);
  }

  public boolean modelReviewEnabled() {
    return !keys.apiKeys().isEmpty();
  }

  /** The validating constructor used by {@link ConfigLoader}: defaults must already be merged in. */
  public static ScannerConfig fromJson(JsonObject json) {
    return ConfigLoader.build(json);
  }
}
