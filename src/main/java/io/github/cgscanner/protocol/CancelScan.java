package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

public record CancelScan(String scanId) {
  public JsonObject toJson() {
    return new JsonObject().put("scanId", scanId);
  }

  public static CancelScan fromJson(JsonObject j) {
    return new CancelScan(j.getString("scanId"));
  }
}
