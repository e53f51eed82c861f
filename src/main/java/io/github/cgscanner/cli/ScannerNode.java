package io.github.cgscanner.cli;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.http.HttpVerticle;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.metrics.MetricsVerticle;
import io.github.cgscanner.scan.DispatcherVerticle;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One worker: a Vert.x instance with the dispatcher, the coordinator, one verticle per key and, for {@code serve}, the HTTP API. */
public final class ScannerNode {
  private final Vertx vertx;
  private final String nodeId;

  private ScannerNode(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return nodeId;
  }

  /** A standalone node: local maps, local event bus. */
  public static Future<ScannerNode> standalone(ScannerConfig config, boolean withHttp, String version) {
    Vertx vertx = Vertx.vertx(MetricsSetup.vertxOptions());
    vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).put("standalone", true);
    ScannerNode node = new ScannerNode(vertx, UUID.randomUUID().toString());
    return node.deploy(config, withHttp, version).map(node)
        .recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
  }

  /** A node on an existing (e.g. clustered) Vert.x whose node id is already known. */
  public static Future<ScannerNode> on(Vertx vertx, String nodeId, ScannerConfig config, boolean withHttp, String version) {
    ScannerNode node = new ScannerNode(vertx, nodeId);
    return node.deploy(config, withHttp, version).map(node);
  }

  private Future<Void> deploy(ScannerConfig config, boolean withHttp, String version) {
    JsonObject base = new JsonObject().put("nodeId", nodeId).put("scanner", config.toJson()).put("version", version);
    return vertx.deployVerticle(new DispatcherVerticle(), new DeploymentOptions().setConfig(base.copy()))
        .compose(id -> vertx.deployVerticle(new ScanCoordinatorVerticle(), new DeploymentOptions().setConfig(base.copy())))
        .compose(id -> {
          List<Future<String>> keys = new ArrayList<>();
          for (int i = 0; i < config.keys().apiKeys().size(); i++) {
            keys.add(vertx.deployVerticle(new KeyVerticle(), new DeploymentOptions().setConfig(base.copy().put("keyIndex", i))));
          }
          return Future.all(keys);
        })
        .compose(v -> withHttp
            ? vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(base.copy()))
                .compose(id -> vertx.deployVerticle(new HttpVerticle(), new DeploymentOptions().setConfig(base.copy()))).mapEmpty()
            : Future.<Void>succeededFuture());
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
