package io.github.cgscanner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.github.cgscanner.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastConfigTest {
  @Test
  void membersAreJoinedOverTcpIpByDefault() {
    Config hz = HazelcastConfig.of(ConfigLoader.load(null, Map.of("CLUSTER_MEMBERS", "10.0.0.1:5701-5702"), Map.of()).cluster(), 100);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.1:5702"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertEquals(5701, hz.getNetworkConfig().getPort());
    assertFalse(hz.getNetworkConfig().isPortAutoIncrement());
    var cache = hz.getMapConfig(io.github.cgscanner.store.ClusterReviewCache.MAP);
    assertEquals(100, cache.getEvictionConfig().getSize(), "the review cache is bounded on each member");
    assertEquals(com.hazelcast.config.EvictionPolicy.LRU, cache.getEvictionConfig().getEvictionPolicy());
  }

  @Test
  void aHeadlessServiceNameSwitchesToKubernetesDiscovery() {
    Config hz = HazelcastConfig.of(ConfigLoader.load(null,
        Map.of("CLUSTER_KUBERNETES_SERVICE_DNS", "scanner-hz.scans.svc.cluster.local", "CLUSTER_HOST", "10.1.2.3"), Map.of()).cluster(), 100);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("scanner-hz.scans.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
  }
}
