package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Leased tasks that will not be sent, back to their coordinator at once: the leases granted in the round
 * {@code requestId} (its answer never arrived), or the listed leases (a pull that was answered too late).
 */
public record LeaseRelease(String scanId, String requestId, List<Lease> leases) {
  public record Lease(String taskId, String leaseId) {}

  public static LeaseRelease ofRound(String scanId, String requestId) {
    return new LeaseRelease(scanId, requestId, List.of());
  }

  public static LeaseRelease ofTasks(String scanId, List<ReviewTask> tasks) {
    return new LeaseRelease(scanId, null, tasks.stream().map(t -> new Lease(t.taskId(), t.leaseId())).toList());
  }

  public JsonObject toJson() {
    JsonArray l = new JsonArray();
    leases.forEach(x -> l.add(new JsonObject().put("taskId", x.taskId()).put("leaseId", x.leaseId())));
    return new JsonObject().put("scanId", scanId).put("requestId", requestId).put("leases", l);
  }

  public static LeaseRelease fromJson(JsonObject j) {
    List<Lease> leases = new ArrayList<>();
    for (Object o : j.getJsonArray("leases", new JsonArray())) {
      JsonObject x = (JsonObject) o;
      leases.add(new Lease(x.getString("taskId"), x.getString("leaseId")));
    }
    return new LeaseRelease(j.getString("scanId"), j.getString("requestId"), leases);
  }
}
