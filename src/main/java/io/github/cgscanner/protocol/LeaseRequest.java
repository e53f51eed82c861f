package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A dispatcher asks a scan's coordinator for up to {@code max} tasks for its keys. {@code requestId}
 * names the lease round, so that a dispatcher whose request timed out can give back whatever the
 * coordinator granted in it ({@link LeaseRelease}).
 */
public record LeaseRequest(String scanId, String holder, int max, String requestId) {
  public JsonObject toJson() {
    return new JsonObject().put("scanId", scanId).put("holder", holder).put("max", max).put("requestId", requestId);
  }

  public static LeaseRequest fromJson(JsonObject j) {
    return new LeaseRequest(j.getString("scanId"), j.getString("holder"), j.getInteger("max", 1), j.getString("requestId"));
  }
}
