package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/** A key asks its dispatcher for as many tasks as it has free slots ({@code credits}). */
public record Pull(String key, int credits) {
  /** How long a key waits for its dispatcher's answer; a dispatcher never answers a pull older than this with tasks. */
  public static final long TIMEOUT_MS = 60_000;

  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("credits", credits);
  }

  public static Pull fromJson(JsonObject j) {
    return new Pull(j.getString("key"), j.getInteger("credits", 1));
  }
}
