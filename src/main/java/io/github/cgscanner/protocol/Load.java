package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/** A coordinator's load: scans running (preparing or reviewing) and waiting. */
public record Load(int running, int queued) {
  public JsonObject toJson() {
    return new JsonObject().put("running", running).put("queued", queued);
  }

  public static Load fromJson(JsonObject j) {
    return new Load(j.getInteger("running", 0), j.getInteger("queued", 0));
  }
}
