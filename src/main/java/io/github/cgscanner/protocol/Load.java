package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/** A coordinator's load: scans running (preparing or reviewing) and waiting, and review tasks waiting for a key. */
public record Load(int running, int queued, int backlog) {
  public JsonObject toJson() {
    return new JsonObject().put("running", running).put("queued", queued).put("backlog", backlog);
  }

  public static Load fromJson(JsonObject j) {
    return new Load(j.getInteger("running", 0), j.getInteger("queued", 0), j.getInteger("backlog", 0));
  }
}
