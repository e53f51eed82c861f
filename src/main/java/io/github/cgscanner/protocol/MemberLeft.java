package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

public record MemberLeft(String nodeId) {
  public JsonObject toJson() {
    return new JsonObject().put("left", nodeId);
  }

  public static MemberLeft fromJson(JsonObject j) {
    return new MemberLeft(j.getString("left"));
  }
}
