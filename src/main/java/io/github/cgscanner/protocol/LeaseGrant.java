package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The tasks granted, whether the scan has more, and how many are still waiting. */
public record LeaseGrant(List<ReviewTask> tasks, boolean more, int pending) {
  public static LeaseGrant none() {
    return new LeaseGrant(List.of(), false, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("tasks", ReviewTask.listToJson(tasks)).put("more", more).put("pending", pending);
  }

  public static LeaseGrant fromJson(JsonObject j) {
    return new LeaseGrant(ReviewTask.listFromJson(j.getJsonArray("tasks")), j.getBoolean("more", false),
        j.getInteger("pending", 0));
  }
}
