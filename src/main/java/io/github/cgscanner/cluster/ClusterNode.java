package io.github.cgscanner.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.github.cgscanner.cli.ScannerNode;
import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.http.HttpVerticle;
import io.github.cgscanner.metrics.MetricsSetup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a worker on a clustered Vert.x over Hazelcast, configured from {@code conf/cluster.xml} plus the CLUSTER_* settings. */
public final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private ClusterNode() {}

  public static Future<ScannerNode> start(ScannerConfig config, String version) {
    Config hz = hazelcastConfig(config.cluster());
    HazelcastClusterManager manager = new HazelcastClusterManager(hz);
    VertxOptions options = MetricsSetup.vertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(config.cluster().host())
        .setPort(config.cluster().eventBusPort())
        .setClusterPublicHost(config.cluster().publicHost()));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .recover(err -> Future.failedFuture(new ConfigException("could not join the cluster on "
            + config.cluster().host() + ":" + config.cluster().port() + " (event bus port " + config.cluster().eventBusPort() + "): "
            + rootMessage(err))))
        .compose(vertx -> awaitMembers(vertx, manager, config.cluster())
            .map(v -> Membership.listen(vertx, manager.getHazelcastInstance()))
            .compose(v -> ScannerNode.on(vertx, manager.getNodeId(), config, true, version))
            .compose(node -> BudgetOwners.deploy(vertx, manager.getHazelcastInstance(), node.nodeId()).map(node))
            .recover(err -> vertx.close().transform(x -> Future.failedFuture(err))));
  }

  /** Waits until {@code cluster.minSize} members are present, keeping the count fresh for readiness. */
  private static Future<Void> awaitMembers(Vertx vertx, HazelcastClusterManager manager, ScannerConfig.Cluster cluster) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + cluster.joinTimeout().toMillis();
    vertx.setPeriodic(0, 250, id -> {
      int members = manager.getNodes().size();
      vertx.sharedData().getLocalMap(HttpVerticle.NODE_MAP).put("clusterMembers", members);
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

  static Config hazelcastConfig(ScannerConfig.Cluster cluster) {
    Config hz = loadBase();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
    hz.getNetworkConfig().getInterfaces().setEnabled(false);
    hz.getNetworkConfig().setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    hz.setProperty("hazelcast.local.localAddress", cluster.host());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(MemberList.expand(cluster.members()));
    } else {
      // DNS lookup mode: the headless Service lists every pod, ready or not, and needs no API access.
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesServiceDns())
          .setProperty("service-port", Integer.toString(cluster.port()));
    }
    String wait = System.getenv("HAZELCAST_WAIT_SECONDS_BEFORE_JOIN");
    if (wait != null) hz.setProperty("hazelcast.wait.seconds.before.join", wait);
    return hz;
  }

  private static Config loadBase() {
    Path local = Path.of("conf", "cluster.xml");
    try (InputStream in = Files.isRegularFile(local) ? Files.newInputStream(local) : ClusterNode.class.getResourceAsStream("/cluster.xml")) {
      return new XmlConfigBuilder(in).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("conf/cluster.xml could not be read: " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Visible for the deployment script's tests. */
  public static List<String> expandedMembers(List<String> members) {
    return new ArrayList<>(MemberList.expand(members));
  }
}
