package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The scan {@code scanId}, coordinated by {@code coordinator} (a node id), has tasks waiting, for keys
 * of {@code models} (empty = any key).
 */
public record WorkAvailable(String scanId, String coordinator, List<String> models) {
  public JsonObject toJson() {
    return new JsonObject().put("scanId", scanId).put("coordinator", coordinator).put("models", Models.toJson(models));
  }

  public static WorkAvailable fromJson(JsonObject j) {
    return new WorkAvailable(j.getString("scanId"), j.getString("coordinator"), Models.fromJson(j.getJsonArray("models")));
  }

  /** Whether a key serving {@code model} may take this scan's tasks. */
  public boolean allows(String model) {
    return Models.allow(models, model);
  }
}
