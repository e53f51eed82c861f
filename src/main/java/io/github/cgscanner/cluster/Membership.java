package io.github.cgscanner.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.MemberLeft;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this worker's verticles, on the local address {@link Addresses#MEMBERSHIP}, that a member left the
 * cluster, and keeps the current members' node ids in the node map. The Vert.x node id is a member attribute set by the cluster manager (not
 * the member's UUID). Hazelcast calls the listener on its own threads; the event bus carries the news
 * onto the verticles' event loops.
 */
public final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  /** Where vertx-hazelcast keeps each member's Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private Membership() {}

  /** @return the registration id, to remove the listener */
  public static UUID listen(Vertx vertx, HazelcastInstance hazelcast) {
    return hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined: {} ({} member(s))", nodeId(event.getMember()), event.getMembers().size());
        record(vertx, event.getMembers());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String nodeId = nodeId(event.getMember());
        LOG.warn("cluster member left: {} ({} member(s))", nodeId, event.getMembers().size());
        record(vertx, event.getMembers());
        vertx.eventBus().publish(Addresses.MEMBERSHIP, new MemberLeft(nodeId).toJson(), new DeliveryOptions().setLocalOnly(true));
      }
    });
  }

  /** The current members' node ids, for the periodic look for scans of absent coordinators. */
  public static void record(Vertx vertx, java.util.Collection<Member> members) {
    JsonArray ids = new JsonArray();
    members.forEach(m -> ids.add(nodeId(m)));
    vertx.sharedData().getLocalMap(Addresses.NODE_MAP).put("members", ids);
  }

  static String nodeId(Member member) {
    String id = member.getAttribute(NODE_ID_ATTRIBUTE);
    return id != null ? id : member.getUuid().toString();
  }
}
