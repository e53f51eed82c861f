package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A key asks its dispatcher for as many tasks as it has free slots ({@code credits}); {@code model} is
 * the model it serves, so it is given only tasks of scans that may use that model.
 */
public record Pull(String key, int credits, String model) {
  /** How long a key waits for its dispatcher's answer; a dispatcher never answers a pull older than this with tasks. */
  public static final long TIMEOUT_MS = 60_000;

  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("credits", credits).put("model", model);
  }

  public static Pull fromJson(JsonObject j) {
    return new Pull(j.getString("key"), j.getInteger("credits", 1), j.getString("model"));
  }
}
