package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

public record PullReply(List<ReviewTask> tasks) {
  public JsonObject toJson() {
    return new JsonObject().put("tasks", ReviewTask.listToJson(tasks));
  }

  public static PullReply fromJson(JsonObject j) {
    return new PullReply(j == null ? List.of() : ReviewTask.listFromJson(j.getJsonArray("tasks")));
  }
}
