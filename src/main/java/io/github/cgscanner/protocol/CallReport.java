package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/** One model call ended: for the metrics. {@code replyTo} tells this worker's scans from peers'. */
public record CallReport(String key, String outcome, long ms, String replyTo, long files) {
  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("outcome", outcome).put("ms", ms).put("replyTo", replyTo).put("files", files);
  }

  public static CallReport fromJson(JsonObject j) {
    return new CallReport(j.getString("key"), j.getString("outcome"), j.getLong("ms", 0L), j.getString("replyTo"),
        j.getLong("files", 0L));
  }
}
