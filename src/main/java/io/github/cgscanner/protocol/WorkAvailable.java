package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/** The scan {@code scanId}, coordinated by {@code coordinator} (a node id), has tasks waiting. */
public record WorkAvailable(String scanId, String coordinator) {
  public JsonObject toJson() {
    return new JsonObject().put("scanId", scanId).put("coordinator", coordinator);
  }

  public static WorkAvailable fromJson(JsonObject j) {
    return new WorkAvailable(j.getString("scanId"), j.getString("coordinator"));
  }
}
