package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a key verticle announces about itself, about once a second while it works: only its alias,
 * never the key. {@code state} is {@code healthy}, {@code throttled} or {@code disabled}.
 * {@code provider} says where its requests go ({@link Provider}); {@code findings} counts the findings
 * its answers held that passed validation, {@code findingsRejected} those the validator dropped.
 */
public record KeyState(
    String key,
    String node,
    Provider provider,
    String state,
    int inFlight,
    int capacity,
    long requests,
    long ok,
    long rateLimited,
    long serverErrors,
    long timeouts,
    long invalid,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long findings,
    long findingsRejected,
    String disabledReason,
    Share share) {

  /**
   * The key's endpoint host (never a path, a query or the key), model and dialect ({@code openai},
   * {@code azure}, {@code openai-compatible}); {@code degraded} is null, or {@link #SCHEMA_IN_PROMPT}
   * once its endpoint refused strict structured outputs and the schema travels in the prompt instead.
   */
  public record Provider(String host, String model, String dialect, String degraded) {}

  public static final String SCHEMA_IN_PROMPT = "schema-in-prompt";

  /**
   * In a cluster: this worker's share of the key's cluster-wide budget (0..1, null while its limits are
   * unknown), how often and how long the key waited for one. The whole record is null standalone.
   */
  public record Share(Double budgetShare, long sliceWaits, long sliceWaitMs) {}

  public static final String HEALTHY = "healthy";
  public static final String THROTTLED = "throttled";
  public static final String DISABLED = "disabled";
  /** The disabled reason of a key whose endpoint says the model or the request shape is wrong. */
  public static final String MODEL_UNAVAILABLE = "model_unavailable";

  public boolean disabled() {
    return DISABLED.equals(state);
  }

  public int freeSlots() {
    return disabled() ? 0 : Math.max(0, capacity - inFlight);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("key", key)
        .put("node", node)
        .put("provider", provider.host())
        .put("model", provider.model())
        .put("dialect", provider.dialect())
        .put("degraded", provider.degraded())
        .put("state", state)
        .put("inFlight", inFlight)
        .put("capacity", capacity)
        .put("requests", requests)
        .put("ok", ok)
        .put("rateLimited", rateLimited)
        .put("serverErrors", serverErrors)
        .put("timeouts", timeouts)
        .put("invalid", invalid)
        .put("promptTokens", promptTokens)
        .put("completionTokens", completionTokens)
        .put("cachedTokens", cachedTokens)
        .put("findings", findings)
        .put("findingsRejected", findingsRejected)
        .put("disabledReason", disabledReason);
    if (share != null) {
      json.put("budgetShare", share.budgetShare()).put("sliceWaits", share.sliceWaits()).put("sliceWaitMs", share.sliceWaitMs());
    }
    return json;
  }

  public static KeyState fromJson(JsonObject j) {
    return new KeyState(j.getString("key"), j.getString("node"),
        new Provider(j.getString("provider"), j.getString("model"), j.getString("dialect"), j.getString("degraded")),
        j.getString("state", HEALTHY), j.getInteger("inFlight", 0),
        j.getInteger("capacity", 0), j.getLong("requests", 0L), j.getLong("ok", 0L), j.getLong("rateLimited", 0L),
        j.getLong("serverErrors", 0L), j.getLong("timeouts", 0L), j.getLong("invalid", 0L), j.getLong("promptTokens", 0L),
        j.getLong("completionTokens", 0L), j.getLong("cachedTokens", 0L), j.getLong("findings", 0L),
        j.getLong("findingsRejected", 0L), j.getString("disabledReason"),
        j.containsKey("sliceWaits")
            ? new Share(j.getDouble("budgetShare"), j.getLong("sliceWaits", 0L), j.getLong("sliceWaitMs", 0L)) : null);
  }
}
