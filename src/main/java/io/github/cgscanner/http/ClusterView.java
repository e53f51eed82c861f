package io.github.cgscanner.http;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/v1/cluster}: every member from the load registry, this worker first. This worker's
 * own entry comes from its local copy, so it is shown even while the shared map is out of reach.
 */
final class ClusterView {
  private final Vertx vertx;
  private final String nodeId;

  ClusterView(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  void handle(RoutingContext ctx) {
    new LoadRegistry(vertx).members()
        .otherwise(err -> List.of())
        .onSuccess(entries -> ScanRoutes.json(ctx, 200, new JsonObject().put("members", members(entries))));
  }

  private JsonArray members(List<JsonObject> entries) {
    List<JsonObject> others = new ArrayList<>();
    for (JsonObject e : entries) {
      if (!nodeId.equals(e.getString("nodeId"))) others.add(e);
    }
    others.sort(Comparator.comparing(e -> e.getString("nodeId")));
    JsonArray out = new JsonArray();
    JsonObject self = (JsonObject) vertx.sharedData().getLocalMap(Addresses.NODE_MAP).get(LoadRegistry.SELF_KEY);
    out.add(member(self != null ? self : starting()));
    others.forEach(e -> out.add(member(e)));
    return out;
  }

  /** Before the first load entry is written (the first second): at least the keys. */
  private JsonObject starting() {
    JsonArray keys = new JsonArray();
    vertx.sharedData().<String, JsonObject>getLocalMap(Addresses.KEYS_MAP).values().stream()
        .sorted(Comparator.comparing(k -> k.getString("key")))
        .forEach(k -> keys.add(k.copy()));
    return new JsonObject().put("nodeId", nodeId).put("keys", keys);
  }

  private static JsonObject member(JsonObject entry) {
    return new JsonObject()
        .put("nodeId", entry.getString("nodeId"))
        .put("address", entry.getString("httpAddress"))
        .put("running", entry.getInteger("running", 0))
        .put("queued", entry.getInteger("queued", 0))
        .put("freeSlots", entry.getInteger("freeSlots", 0))
        .put("keys", entry.getJsonArray("keys", new JsonArray()).copy())
        .put("keyHashes", entry.getJsonArray("keyHashes", new JsonArray()).copy())
        .put("budgetMessages", entry.getLong("budgetMessages", 0L))
        .put("updatedAt", entry.getLong("updatedAt"));
  }
}
