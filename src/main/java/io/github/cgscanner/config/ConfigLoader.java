package io.github.cgscanner.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.github.cgscanner.domain.VerifyMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds {@link ScannerConfig} in the SPEC's order: compiled-in defaults, then {@code conf/config.json}
 * (or {@code --config FILE}), then environment variables, then command-line flags.
 */
public final class ConfigLoader {
  private static final Pattern KEY_VAR = Pattern.compile("OPENAI_API_KEY(_(\\d+))?");

  /** Environment variable → config.json path. Keys are handled separately: they never live in the file. */
  private static final Map<String, String> ENV_PATHS = Map.ofEntries(
      Map.entry("OPENAI_BASE_URL", "model.baseUrl"),
      Map.entry("OPENAI_MODEL", "model.name"),
      Map.entry("OPENAI_AUTH_STYLE", "model.authStyle"),
      Map.entry("OPENAI_API_VERSION", "model.apiVersion"),
      Map.entry("OPENAI_CONTEXT_TOKENS", "model.contextTokens"),
      Map.entry("OPENAI_TOKEN_ACCOUNTING", "model.tokenAccounting"),
      Map.entry("PORT", "http.port"),
      Map.entry("HTTP_HOST", "http.host"),
      Map.entry("SCANNER_API_TOKENS", "auth.tokens"),
      Map.entry("SCANNER_ADMIN_TOKENS", "auth.adminTokens"),
      Map.entry("SCANNER_ALLOW_NO_AUTH", "auth.allowNoAuth"),
      Map.entry("SCANNER_LOCAL_PATH_ROOTS", "sources.localPathRoots"),
      Map.entry("SCANNER_GIT_HOSTS", "sources.gitHosts"),
      Map.entry("SCANNER_MAX_UPLOAD_BYTES", "sources.maxUploadBytes"),
      Map.entry("SCANNER_SHARD_THRESHOLD", "scan.shardThreshold"),
      Map.entry("SCANNER_MAX_WORKERS_PER_SCAN", "scan.maxWorkersPerScan"),
      Map.entry("SCANNER_MAX_RUNNING_SCANS", "scan.maxRunning"),
      Map.entry("SCANNER_MAX_QUEUED_SCANS", "scan.maxQueued"),
      Map.entry("SCANNER_MAX_FILES_PER_SCAN", "scan.maxFiles"),
      Map.entry("SCANNER_MAX_TOKENS_PER_SCAN", "scan.maxTokens"),
      Map.entry("SCANNER_SCAN_RETENTION", "scan.retention"),
      Map.entry("SCANNER_STORE", "store.kind"),
      Map.entry("SCANNER_REVIEW_CACHE_TTL", "cache.ttl"),
      Map.entry("SCANNER_DATA_DIR", "store.dataDir"),
      Map.entry("SCANNER_DB_URL", "store.url"),
      Map.entry("SCANNER_DB_USER", "store.user"),
      Map.entry("SCANNER_DB_PASSWORD", "store.password"),
      Map.entry("SCANNER_DB_PASSWORD_FILE", "store.passwordFile"),
      Map.entry("SCANNER_DB_POOL_SIZE", "store.poolSize"),
      Map.entry("CLUSTER_HOST", "cluster.host"),
      Map.entry("CLUSTER_PORT", "cluster.port"),
      Map.entry("CLUSTER_EVENTBUS_PORT", "cluster.eventBusPort"),
      Map.entry("CLUSTER_PUBLIC_HOST", "cluster.publicHost"),
      Map.entry("CLUSTER_MEMBERS", "cluster.members"),
      Map.entry("CLUSTER_NAME", "cluster.name"),
      Map.entry("CLUSTER_MIN_SIZE", "cluster.minSize"),
      Map.entry("CLUSTER_JOIN_TIMEOUT", "cluster.joinTimeout"),
      Map.entry("CLUSTER_KUBERNETES_SERVICE_DNS", "cluster.kubernetesServiceDns"),
      Map.entry("SCANNER_REVIEW_VERIFY", "review.verify"),
      Map.entry("SCANNER_LOG_FORMAT", "log.format"),
      Map.entry("SCANNER_LOG_LEVEL", "log.level"));

  private ConfigLoader() {}

  public static JsonObject defaults() {
    return new JsonObject()
        .put("model", new JsonObject()
            .put("baseUrl", "https://api.openai.com/v1")
            .put("name", "gpt-5.4-mini")
            .put("authStyle", "bearer")
            .put("apiVersion", "")
            .put("contextTokens", 128000)
            .put("maxCompletionTokens", 8192)
            .put("maxChunkTokens", 8000)
            .put("requestTimeout", "120s")
            .put("tokenAccounting", "sum")
            .put("prices", new JsonObject()
                .put("gpt-5.4-mini", price(0.25, 0.025, 2.00))
                .put("gpt-5-mini", price(0.25, 0.025, 2.00))
                .put("gpt-5", price(1.25, 0.125, 10.00))
                .put("gpt-4.1-mini", price(0.40, 0.10, 1.60))
                .put("gpt-4o-mini", price(0.15, 0.075, 0.60))
                .put("default", price(0.25, 0.025, 2.00))))
        .put("keys", new JsonObject()
            .put("limits", new JsonObject())
            .put("providers", new JsonObject())
            .put("maxInFlightPerKey", 16))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 8080))
        .put("auth", new JsonObject()
            .put("tokens", new JsonArray())
            .put("adminTokens", new JsonArray())
            .put("allowNoAuth", false))
        .put("sources", new JsonObject()
            .put("localPathRoots", new JsonArray())
            .put("gitHosts", new JsonArray().add("github.com").add("gitlab.com").add("bitbucket.org"))
            .put("maxUploadBytes", "200MiB")
            .put("maxFileBytes", "1MiB")
            .put("maxArchiveEntries", 100000)
            .put("maxInflatedBytes", "2GiB")
            .put("maxRepoBytes", "1GiB")
            .put("cloneTimeout", "5m")
            .put("maxUploadsInProgress", 8)
            .put("maxUploadsPerToken", 2))
        .put("scan", new JsonObject()
            .put("shardThreshold", 300)
            .put("maxWorkersPerScan", 2)
            .put("maxRunning", 4)
            .put("maxQueued", 16)
            .put("maxFiles", 20000)
            .put("maxTokens", 80_000_000L)
            .put("retention", "24h")
            .put("maxAttempts", 6)
            .put("maxDuration", "6h")
            .put("maxPreparingPerToken", 2)
            .put("keepLatestPerProject", true))
        .put("store", new JsonObject()
            .put("url", "")
            .put("user", "")
            .put("poolSize", 8)
            .put("maxOutage", "2m")
            .put("maxScansInMemory", 100))
        .put("cache", new JsonObject()
            .put("ttl", "30d")
            .put("scope", "owner")
            .put("maxEntries", 50_000))
        .put("cluster", new JsonObject()
            .put("host", "127.0.0.1")
            .put("port", 5701)
            .put("members", new JsonArray().add("127.0.0.1:5701-5705"))
            .put("name", "chatgpt-security-scanner")
            .put("minSize", 1)
            .put("joinTimeout", "60s")
            .put("kubernetesServiceDns", ""))
        .put("review", new JsonObject().put("verify", "high"))
        .put("log", new JsonObject().put("format", "text").put("level", "info"));
  }

  private static JsonObject price(double input, double cachedInput, double output) {
    return new JsonObject().put("input", input).put("cachedInput", cachedInput).put("output", output);
  }

  /**
   * @param configFile an explicit {@code --config FILE}, or null to use {@code conf/config.json} when present
   * @param flags dotted config paths set on the command line (e.g. {@code http.port})
   */
  public static ScannerConfig load(Path configFile, Map<String, String> env, Map<String, Object> flags) {
    JsonObject merged = defaults();
    Path file = configFile != null ? configFile : Path.of("conf", "config.json");
    if (configFile != null || Files.isRegularFile(file)) {
      deepMerge(merged, readFile(file));
    }
    env.forEach((name, value) -> {
      String path = ENV_PATHS.get(name);
      if (path != null && !value.isBlank()) {
        set(merged, path, value);
      }
    });
    flags.forEach((path, value) -> set(merged, path, value));
    List<Map.Entry<Integer, String>> found = keysFromEnv(env);
    JsonArray secrets = new JsonArray();
    Map<Integer, String> aliasBySuffix = new HashMap<>();
    for (Map.Entry<Integer, String> e : found) {
      aliasBySuffix.put(e.getKey(), "key-" + secrets.size());
      secrets.add(e.getValue());
    }
    JsonObject keys = section(merged, "keys");
    keys.put("apiKeys", secrets);
    KeyProviders.applyEnv(keys, env, aliasBySuffix);
    return build(merged);
  }

  /** {@code OPENAI_API_KEY}, then {@code OPENAI_API_KEY_1 … _N} in numeric order: (suffix, secret), key 0 without one. */
  static List<Map.Entry<Integer, String>> keysFromEnv(Map<String, String> env) {
    List<Map.Entry<Integer, String>> found = new ArrayList<>();
    env.forEach((name, value) -> {
      var m = KEY_VAR.matcher(name);
      if (m.matches() && !value.isBlank()) {
        found.add(Map.entry(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), value.trim()));
      }
    });
    found.sort(Map.Entry.comparingByKey());
    return found;
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getClass().getSimpleName());
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + " is not a valid JSON object");
    }
  }

  private static void deepMerge(JsonObject target, JsonObject source) {
    for (String field : source.fieldNames()) {
      Object value = source.getValue(field);
      if (field.equals("apiKeys")) {
        throw new ConfigException("API keys are never read from the config file: use OPENAI_API_KEY, OPENAI_API_KEY_1, …");
      }
      Object existing = target.getValue(field);
      if (value instanceof JsonObject src && existing instanceof JsonObject dst && !field.equals("prices") && !field.equals("limits")) {
        deepMerge(dst, src);
      } else if (value instanceof JsonObject src && existing instanceof JsonObject dst) {
        dst.mergeIn(src, true);
      } else {
        target.put(field, value);
      }
    }
  }

  private static void set(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = node.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        node.put(parts[i], next);
      }
      node = next;
    }
    node.put(parts[parts.length - 1], value);
  }

  static ScannerConfig build(JsonObject j) {
    JsonObject m = section(j, "model");
    JsonObject k = section(j, "keys");
    JsonObject h = section(j, "http");
    JsonObject a = section(j, "auth");
    JsonObject s = section(j, "sources");
    JsonObject sc = section(j, "scan");
    JsonObject c = section(j, "cluster");
    JsonObject l = section(j, "log");

    String baseUrl = KeyProviders.baseUrl("model.baseUrl (OPENAI_BASE_URL)", string(m, "model.baseUrl"));
    String apiVersion = KeyProviders.apiVersion("model.apiVersion (OPENAI_API_VERSION)",
        String.valueOf(m.getValue("apiVersion", "")).trim());
    List<ApiKey> apiKeys = new ArrayList<>();
    JsonArray secrets = k.getJsonArray("apiKeys", new JsonArray());
    for (int i = 0; i < secrets.size(); i++) {
      apiKeys.add(new ApiKey(i, secrets.getString(i)));
    }
    ScannerConfig.Model model = new ScannerConfig.Model(
        baseUrl,
        string(m, "model.name"),
        oneOf(m, "model.authStyle", "bearer", "api-key"),
        apiVersion,
        intRange(m, "model.contextTokens", 1024, 10_000_000),
        intRange(m, "model.maxCompletionTokens", 256, 1_000_000),
        intRange(m, "model.maxChunkTokens", 256, 10_000_000),
        duration(m, "model.requestTimeout"),
        oneOf(m, "model.tokenAccounting", "sum", "max"),
        objectOrEmpty(m, "model.prices"));
    ScannerConfig.Keys keys = new ScannerConfig.Keys(
        List.copyOf(apiKeys), objectOrEmpty(k, "keys.limits"), intRange(k, "keys.maxInFlightPerKey", 1, 1024),
        KeyProviders.resolve(model, k, apiKeys));
    ScannerConfig.Http http = new ScannerConfig.Http(string(h, "http.host"), intRange(h, "http.port", 0, 65535));
    ScannerConfig.Auth auth = new ScannerConfig.Auth(
        list(a, "auth.tokens"), list(a, "auth.adminTokens"), bool(a, "auth.allowNoAuth"));
    ScannerConfig.Sources sources = new ScannerConfig.Sources(
        list(s, "sources.localPathRoots"),
        list(s, "sources.gitHosts").stream().map(x -> x.toLowerCase(Locale.ROOT)).toList(),
        size(s, "sources.maxUploadBytes"),
        size(s, "sources.maxFileBytes"),
        intRange(s, "sources.maxArchiveEntries", 1, Integer.MAX_VALUE),
        size(s, "sources.maxInflatedBytes"),
        size(s, "sources.maxRepoBytes"),
        duration(s, "sources.cloneTimeout"),
        intRange(s, "sources.maxUploadsInProgress", 1, 10_000),
        intRange(s, "sources.maxUploadsPerToken", 1, 10_000));
    ScannerConfig.Scan scan = new ScannerConfig.Scan(
        intRange(sc, "scan.shardThreshold", 1, Integer.MAX_VALUE),
        intRange(sc, "scan.maxWorkersPerScan", 1, 64),
        intRange(sc, "scan.maxRunning", 1, 10_000),
        intRange(sc, "scan.maxQueued", 0, 100_000),
        intRange(sc, "scan.maxFiles", 1, Integer.MAX_VALUE),
        longRange(sc, "scan.maxTokens", 1, Long.MAX_VALUE),
        duration(sc, "scan.retention"),
        intRange(sc, "scan.maxAttempts", 1, 100),
        duration(sc, "scan.maxDuration"),
        intRange(sc, "scan.maxPreparingPerToken", 1, 10_000));
    ScannerConfig.Store store = store(section(j, "store"), bool(sc, "scan.keepLatestPerProject"));
    JsonObject ca = section(j, "cache");
    ScannerConfig.Cache cache = new ScannerConfig.Cache(durationOrZero(ca, "cache.ttl"),
        oneOf(ca, "cache.scope", ScannerConfig.Cache.OWNER, ScannerConfig.Cache.CLUSTER),
        intRange(ca, "cache.maxEntries", 1, 10_000_000));
    String clusterHost = string(c, "cluster.host");
    String publicHost = c.getValue("publicHost") == null ? clusterHost : string(c, "cluster.publicHost");
    int clusterPort = intRange(c, "cluster.port", 1, 65535);
    // Beside the Hazelcast port by default, so each worker of a machine gets its own and a firewall
    // or NetworkPolicy can name both; not in the defaults, or a changed cluster.port would not move it.
    int eventBusPort = c.getValue("eventBusPort") == null ? (clusterPort <= 65435 ? clusterPort + 100 : 0)
        : intRange(c, "cluster.eventBusPort", 0, 65535);
    if (eventBusPort == clusterPort) {
      throw new ConfigException("cluster.eventBusPort (CLUSTER_EVENTBUS_PORT) must differ from cluster.port (CLUSTER_PORT): both are " + clusterPort);
    }
    ScannerConfig.Cluster cluster = new ScannerConfig.Cluster(
        clusterHost,
        clusterPort,
        eventBusPort,
        publicHost,
        list(c, "cluster.members"),
        string(c, "cluster.name"),
        intRange(c, "cluster.minSize", 1, 1000),
        duration(c, "cluster.joinTimeout"),
        String.valueOf(c.getValue("kubernetesServiceDns", "")).trim());
    ScannerConfig.Log log = new ScannerConfig.Log(oneOf(l, "log.format", "text", "json"), oneOf(l, "log.level", "trace", "debug", "info", "warn", "error"));
    ScannerConfig.Review review = new ScannerConfig.Review(
        VerifyMode.parse(oneOf(section(j, "review"), "review.verify", "off", "high", "all")));
    return new ScannerConfig(model, keys, http, auth, sources, scan, store, cache, cluster, log, review);
  }

  private static ScannerConfig.Store store(JsonObject st, boolean keepLatestPerProject) {
    String kind = st.getValue("kind") == null || String.valueOf(st.getValue("kind")).isBlank() ? null
        : oneOf(st, "store.kind", ScannerConfig.Store.EMBEDDED, ScannerConfig.Store.POSTGRES, ScannerConfig.Store.MEMORY);
    String rawUrl = String.valueOf(st.getValue("url", "")).trim();
    String url = "";
    String user = String.valueOf(st.getValue("user", "")).trim();
    if (!rawUrl.isEmpty()) {
      StoreChoice.Url parsed = StoreChoice.parseUrl(rawUrl);
      url = parsed.jdbcUrl();
      if (user.isEmpty() && parsed.user() != null) user = parsed.user();
    }
    String password = st.getValue("password") == null ? "" : String.valueOf(st.getValue("password"));
    if (st.getValue("passwordFile") != null && !String.valueOf(st.getValue("passwordFile")).isBlank()) {
      password = readPasswordFile(Path.of(String.valueOf(st.getValue("passwordFile")).trim()));
    }
    Path dataDir = st.getValue("dataDir") == null || String.valueOf(st.getValue("dataDir")).isBlank() ? null
        : Path.of(String.valueOf(st.getValue("dataDir")).trim());
    return new ScannerConfig.Store(kind, dataDir, dataDir != null, url, user, password,
        intRange(st, "store.poolSize", 1, 1000), duration(st, "store.maxOutage"),
        intRange(st, "store.maxScansInMemory", 1, 1_000_000), keepLatestPerProject);
  }

  /** The whole file but a final line break; what it holds never appears in an error. */
  private static String readPasswordFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
    } catch (IOException e) {
      throw new ConfigException("store.passwordFile (SCANNER_DB_PASSWORD_FILE): cannot read " + file + ": "
          + e.getClass().getSimpleName());
    }
  }

  private static JsonObject section(JsonObject root, String name) {
    Object v = root.getValue(name);
    if (v == null) return new JsonObject();
    if (v instanceof JsonObject o) return o;
    throw new ConfigException(name + ": must be a JSON object");
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static String string(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v == null || v.toString().isBlank()) {
      throw new ConfigException(path + ": must not be empty");
    }
    return v.toString().trim();
  }

  private static String oneOf(JsonObject o, String path, String... allowed) {
    String v = string(o, path).toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) return v;
    }
    throw new ConfigException(path + ": must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
  }

  private static long longRange(JsonObject o, String path, long min, long max) {
    Object v = o.getValue(leaf(path));
    long n;
    try {
      n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(path + ": not a whole number: '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(path + ": must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private static int intRange(JsonObject o, String path, int min, int max) {
    return (int) longRange(o, path, min, max);
  }

  private static boolean bool(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v instanceof Boolean b) return b;
    String t = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no", "" -> false;
      default -> throw new ConfigException(path + ": must be true or false, got '" + v + "'");
    };
  }

  private static Duration duration(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v instanceof Number n) return Duration.ofSeconds(n.longValue());
    return Durations.parseDuration(path, String.valueOf(v));
  }

  /** A duration, where {@code 0} means off. */
  private static Duration durationOrZero(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v instanceof Number n && n.longValue() == 0 || v != null && String.valueOf(v).trim().matches("0+")) return Duration.ZERO;
    return duration(o, path);
  }

  private static long size(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v instanceof Number n) {
      if (n.longValue() <= 0) throw new ConfigException(path + ": must be positive");
      return n.longValue();
    }
    return Durations.parseSize(path, String.valueOf(v));
  }

  private static List<String> list(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof JsonArray arr) {
      arr.forEach(x -> {
        if (x != null && !x.toString().isBlank()) out.add(x.toString().trim());
      });
    } else {
      for (String part : v.toString().split(",")) {
        if (!part.isBlank()) out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }

  private static JsonObject objectOrEmpty(JsonObject o, String path) {
    Object v = o.getValue(leaf(path));
    if (v == null) return new JsonObject();
    if (v instanceof JsonObject obj) return obj.copy();
    throw new ConfigException(path + ": must be a JSON object");
  }
}
