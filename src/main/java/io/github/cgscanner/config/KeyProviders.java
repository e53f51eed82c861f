package io.github.cgscanner.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each key's provider: endpoint, model, auth style, API version, context size and prices. A key takes
 * what {@code keys.providers.<alias>} (config file) and its {@code _N} variables (environment, which win)
 * set, and the pool-wide {@code model.*} value for the rest. Key 0's variables are the pool-wide ones:
 * they have no suffix. Every value is checked under the name the user wrote it with.
 */
final class KeyProviders {
  static final String AZURE_DEPLOYMENT_PATH = "/openai/deployments/";
  private static final List<String> FIELDS =
      List.of("baseUrl", "name", "authStyle", "apiVersion", "contextTokens", "maxCompletionTokens", "prices");
  /**
   * What a context must hold besides the answer and the chunker's reserve (a twentieth of it): the
   * fixed prompt, framing and a useful amount of code.
   */
  private static final int MIN_CODE_ROOM = 4096;
  private static final Pattern ENV = Pattern.compile("OPENAI_(BASE_URL|MODEL|AUTH_STYLE|API_VERSION|CONTEXT_TOKENS)_(\\d+)");
  private static final Map<String, String> ENV_FIELDS = Map.of("BASE_URL", "baseUrl", "MODEL", "name", "AUTH_STYLE", "authStyle",
      "API_VERSION", "apiVersion", "CONTEXT_TOKENS", "contextTokens");
  private static final Pattern API_VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern MODEL_NAME = Pattern.compile("\\S{1,200}");

  private KeyProviders() {}

  /**
   * Writes the {@code _N} variables into {@code keys.providers} of the merged configuration.
   *
   * @param aliasBySuffix the suffix of each {@code OPENAI_API_KEY_N} → its key's alias; empty = no keys,
   *     local checks only, and the variables are not looked at
   */
  static void applyEnv(JsonObject keys, Map<String, String> env, Map<Integer, String> aliasBySuffix) {
    if (aliasBySuffix.isEmpty()) return;
    JsonObject providers = providers(keys);
    env.forEach((name, value) -> {
      Matcher m = ENV.matcher(name);
      if (!m.matches() || value.isBlank()) return;
      int suffix = Integer.parseInt(m.group(2));
      String base = "OPENAI_" + m.group(1);
      if (suffix == 0) throw new ConfigException(name + ": key 0 has no suffix, its setting is " + base);
      String alias = aliasBySuffix.get(suffix);
      if (alias == null) throw new ConfigException(name + " is set but OPENAI_API_KEY_" + suffix + " is not");
      String field = ENV_FIELDS.get(m.group(1));
      Object checked = check(name, field, value.trim());
      JsonObject own = providers.getValue(alias) instanceof JsonObject o ? o : new JsonObject();
      providers.put(alias, own.put(field, checked));
    });
  }

  /** Every key's model endpoint, in key order: its own settings over the pool-wide ones. */
  static Map<String, ScannerConfig.Model> resolve(ScannerConfig.Model pool, JsonObject keys, List<ApiKey> apiKeys) {
    JsonObject providers = providers(keys);
    List<String> aliases = apiKeys.stream().map(ApiKey::alias).toList();
    for (String alias : providers.fieldNames()) {
      if (!apiKeys.isEmpty() && !aliases.contains(alias)) {
        throw new ConfigException("keys.providers." + alias + ": no such key (this worker's keys are " + String.join(", ", aliases) + ")");
      }
    }
    Map<String, ScannerConfig.Model> out = new LinkedHashMap<>();
    for (String alias : aliases) {
      Object entry = providers.getValue(alias);
      if (entry != null && !(entry instanceof JsonObject)) throw new ConfigException("keys.providers." + alias + ": must be a JSON object");
      ScannerConfig.Model model = own(pool, alias, entry == null ? new JsonObject() : (JsonObject) entry);
      if (model.azureDeployment() && model.apiVersion().isEmpty()) {
        throw new ConfigException(alias + ": an Azure OpenAI deployment URL needs an api-version (OPENAI_API_VERSION, its "
            + "OPENAI_API_VERSION_N, or keys.providers." + alias + ".apiVersion)");
      }
      if (model.contextTokens() - model.maxCompletionTokens() - model.contextTokens() / 20 < MIN_CODE_ROOM) {
        throw new ConfigException(alias + ": a context of " + model.contextTokens() + " tokens leaves too little room for code after "
            + model.maxCompletionTokens() + " for the answer: lower maxCompletionTokens (model.* or keys.providers." + alias + ")");
      }
      out.put(alias, model);
    }
    return Collections.unmodifiableMap(out);
  }

  private static ScannerConfig.Model own(ScannerConfig.Model pool, String alias, JsonObject settings) {
    for (String field : settings.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new ConfigException("keys.providers." + alias + "." + field + ": unknown setting (known: " + String.join(", ", FIELDS) + ")");
      }
    }
    String where = "keys.providers." + alias + ".";
    String name = settings.containsKey("name") ? (String) check(where + "name", "name", settings.getValue("name")) : pool.name();
    JsonObject prices = pool.prices();
    if (settings.containsKey("prices")) {
      prices = pool.prices().copy().put(name, price(where + "prices", settings.getValue("prices")));
    }
    return new ScannerConfig.Model(
        settings.containsKey("baseUrl") ? (String) check(where + "baseUrl", "baseUrl", settings.getValue("baseUrl")) : pool.baseUrl(),
        name,
        settings.containsKey("authStyle") ? (String) check(where + "authStyle", "authStyle", settings.getValue("authStyle")) : pool.authStyle(),
        settings.containsKey("apiVersion") ? (String) check(where + "apiVersion", "apiVersion", settings.getValue("apiVersion")) : pool.apiVersion(),
        settings.containsKey("contextTokens") ? (Integer) check(where + "contextTokens", "contextTokens", settings.getValue("contextTokens"))
            : pool.contextTokens(),
        settings.containsKey("maxCompletionTokens")
            ? (Integer) check(where + "maxCompletionTokens", "maxCompletionTokens", settings.getValue("maxCompletionTokens"))
            : pool.maxCompletionTokens(),
        pool.maxChunkTokens(), pool.requestTimeout(), pool.tokenAccounting(), prices);
  }

  /** A checked value of one per-key setting; {@code where} names it as the user wrote it. */
  private static Object check(String where, String field, Object value) {
    String text = value == null ? "" : String.valueOf(value).trim();
    return switch (field) {
      case "baseUrl" -> baseUrl(where, text);
      case "name" -> {
        if (!MODEL_NAME.matcher(text).matches()) throw new ConfigException(where + ": must be a model name without spaces");
        yield text;
      }
      case "authStyle" -> {
        String style = text.toLowerCase(Locale.ROOT);
        if (!style.equals("bearer") && !style.equals("api-key")) {
          throw new ConfigException(where + ": must be one of bearer, api-key, got '" + text + "'");
        }
        yield style;
      }
      case "apiVersion" -> apiVersion(where, text);
      case "contextTokens", "maxCompletionTokens" -> {
        int min = field.equals("contextTokens") ? 1024 : 256;
        try {
          int n = value instanceof Number num ? num.intValue() : Integer.parseInt(text);
          if (n < min || n > 10_000_000) throw new ConfigException(where + ": must be between " + min + " and 10000000, got " + n);
          yield n;
        } catch (NumberFormatException e) {
          throw new ConfigException(where + ": not a whole number: '" + text + "'");
        }
      }
      default -> throw new IllegalArgumentException(field);
    };
  }

  /**
   * An http(s) endpoint without credentials, query or fragment (the key goes in a header, the API
   * version in its own setting), without a trailing slash. A URL with credentials is not repeated.
   */
  static String baseUrl(String where, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(where + ": must be an http(s) URL, got '" + text + "'");
    }
    if (uri.getRawUserInfo() != null) throw new ConfigException(where + ": must not carry credentials (the key goes in a header)");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
      throw new ConfigException(where + ": must be an http(s) URL, got '" + text + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(where + ": must have no query or fragment (the api-version has its own setting), got '" + text + "'");
    }
    return text.replaceAll("/+$", "");
  }

  /** Empty (not sent), or a version such as {@code 2024-10-21} or {@code 2025-01-01-preview}. */
  static String apiVersion(String where, String text) {
    if (text.isEmpty() || API_VERSION.matcher(text).matches()) return text;
    throw new ConfigException(where + ": must be an API version such as 2024-10-21, got '" + text + "'");
  }

  private static JsonObject price(String where, Object value) {
    if (!(value instanceof JsonObject p)) throw new ConfigException(where + ": must be an object with input, cachedInput and output");
    JsonObject out = new JsonObject();
    for (String field : p.fieldNames()) {
      if (!List.of("input", "cachedInput", "output").contains(field) || !(p.getValue(field) instanceof Number n) || n.doubleValue() < 0) {
        throw new ConfigException(where + "." + field + ": must be one of input, cachedInput, output with a price >= 0 per 1M tokens");
      }
      out.put(field, n.doubleValue());
    }
    if (!out.containsKey("input") || !out.containsKey("output")) throw new ConfigException(where + ": needs input and output");
    return out;
  }

  private static JsonObject providers(JsonObject keys) {
    Object v = keys.getValue("providers");
    if (v == null) {
      JsonObject created = new JsonObject();
      keys.put("providers", created);
      return created;
    }
    if (v instanceof JsonObject o) return o;
    throw new ConfigException("keys.providers: must be a JSON object of key aliases");
  }
}
