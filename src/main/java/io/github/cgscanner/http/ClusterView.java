package io.github.cgscanner.http;

import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;

/**
 * {@code GET /api/v1/cluster}: this worker's members view. On a standalone node that is itself; the
 * cluster issue widens it to every member through the load registry.
 */
final class ClusterView {
  private final Vertx vertx;
  private final String nodeId;

  ClusterView(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  void handle(RoutingContext ctx) {
    JsonArray keys = new JsonArray();
    vertx.sharedData().<String, JsonObject>getLocalMap("scanner.keys").values().stream()
        .sorted(Comparator.comparing(k -> k.getString("key")))
        .forEach(k -> keys.add(k.copy()));
    vertx.eventBus().<JsonObject>request(ScanCoordinatorVerticle.address(nodeId), new JsonObject().put("type", "load"))
        .onComplete(ar -> {
          JsonObject load = ar.succeeded() ? ar.result().body() : new JsonObject();
          Object port = vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).get("httpPort");
          JsonObject member = new JsonObject()
              .put("nodeId", nodeId)
              .put("address", "127.0.0.1:" + port)
              .put("running", load.getInteger("running", 0))
              .put("queued", load.getInteger("queued", 0))
              .put("keys", keys);
          ScanRoutes.json(ctx, 200, new JsonObject().put("members", new JsonArray().add(member)));
        });
  }
}
