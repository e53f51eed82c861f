package io.github.cgscanner.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this worker's verticles, on the local address {@link #ADDRESS}, that a member left the cluster
 * ({@code {"left": nodeId}}). Vert.x node ids are Hazelcast member UUIDs. Hazelcast calls the listener
 * on its own threads; the event bus carries the news onto the verticles' event loops.
 */
public final class Membership {
  public static final String ADDRESS = "scanner.membership";
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private Membership() {}

  /** @return the registration id, to remove the listener */
  public static UUID listen(Vertx vertx, HazelcastInstance hazelcast) {
    return hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined: {} ({} member(s))", event.getMember().getUuid(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String nodeId = event.getMember().getUuid().toString();
        LOG.warn("cluster member left: {} ({} member(s))", nodeId, event.getMembers().size());
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("left", nodeId), new DeliveryOptions().setLocalOnly(true));
      }
    });
  }
}
