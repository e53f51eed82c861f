package io.github.cgscanner.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.store.ClusterReviewCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Hazelcast configuration of a worker: {@code conf/cluster.xml} (or the built-in one) plus the CLUSTER_* settings. */
public final class HazelcastConfig {
  private HazelcastConfig() {}

  /** @param reviewCacheEntries the review cache's bound on each member ({@code cache.maxEntries}) */
  public static Config of(ScannerConfig.Cluster cluster, int reviewCacheEntries) {
    Config hz = loadBase();
    hz.addMapConfig(new MapConfig(ClusterReviewCache.MAP).setBackupCount(1).setEvictionConfig(new EvictionConfig()
        .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(reviewCacheEntries)));
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
    try (InputStream in = Files.isRegularFile(local) ? Files.newInputStream(local) : HazelcastConfig.class.getResourceAsStream("/cluster.xml")) {
      return new XmlConfigBuilder(in).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("conf/cluster.xml could not be read: " + rootMessage(e));
    }
  }

  public static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Visible for the deployment script's tests. */
  public static List<String> expandedMembers(List<String> members) {
    return new ArrayList<>(MemberList.expand(members));
  }
}
