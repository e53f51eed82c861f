package io.github.cgscanner.node;

import io.github.cgscanner.cluster.BudgetOwners;
import io.github.cgscanner.cluster.HazelcastConfig;
import io.github.cgscanner.cluster.Membership;
import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.llm.BudgetVerticle;
import io.github.cgscanner.metrics.MetricsSetup;
import io.github.cgscanner.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a worker on a clustered Vert.x over Hazelcast. */
public final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private ClusterNode() {}

  public static Future<ScannerNode> start(ScannerConfig config, String version) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfig.of(config.cluster(), config.cache().maxEntries()));
    VertxOptions options = MetricsSetup.vertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(config.cluster().host())
        .setPort(config.cluster().eventBusPort())
        .setClusterPublicHost(config.cluster().publicHost()));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .recover(err -> Future.failedFuture(new ConfigException("could not join the cluster on "
            + config.cluster().host() + ":" + config.cluster().port() + " (event bus port " + config.cluster().eventBusPort() + "): "
            + HazelcastConfig.rootMessage(err))))
        .compose(vertx -> awaitMembers(vertx, manager, config.cluster())
            .map(v -> {
              Membership.record(vertx, manager.getHazelcastInstance().getCluster().getMembers());
              return Membership.listen(vertx, manager.getHazelcastInstance());
            })
            .compose(v -> ScannerNode.on(vertx, manager.getNodeId(), config, true, version))
            .compose(node -> vertx.deployVerticle(new BudgetVerticle(node.nodeId(), BudgetOwners.of(manager.getHazelcastInstance())))
                .map(node))
            .recover(err -> {
              // Not chained on the close: its listeners would run on event loops that are gone by then.
              vertx.close();
              return Future.failedFuture(err);
            }));
  }

  /** Waits until {@code cluster.minSize} members are present, keeping the count fresh for readiness. */
  private static Future<Void> awaitMembers(Vertx vertx, HazelcastClusterManager manager, ScannerConfig.Cluster cluster) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + cluster.joinTimeout().toMillis();
    vertx.setPeriodic(0, 250, id -> {
      int members = manager.getNodes().size();
      vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put("clusterMembers", members);
      if (promise.future().isComplete()) return;
      if (members >= cluster.minSize()) {
        LOG.info("cluster '{}' joined with {} member(s)", cluster.name(), members);
        promise.complete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        promise.fail(new ConfigException("only " + members + " cluster member(s) after " + cluster.joinTimeout().toSeconds()
            + " s; CLUSTER_MIN_SIZE is " + cluster.minSize()));
      }
    });
    return promise.future();
  }
}
