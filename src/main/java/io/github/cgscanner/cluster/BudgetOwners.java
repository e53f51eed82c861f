package io.github.cgscanner.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.github.cgscanner.llm.BudgetVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;

/**
 * Who owns the cluster-wide key budgets: the oldest member, the first of Hazelcast's member list, which
 * every member orders alike. Every member reads it from its own copy of the list, with no map and no
 * message, and it changes only when that member leaves (then the next oldest re-learns from the
 * holders). The owner of a partition would spread budgets over members, but partitions move on every
 * join: each move cost the holders of a moved budget seconds without a share, at every scale-up.
 */
final class BudgetOwners {
  private BudgetOwners() {}

  static Future<String> deploy(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {
    return vertx.deployVerticle(new BudgetVerticle(() -> oldest(hazelcast)),
        new DeploymentOptions().setConfig(new JsonObject().put("nodeId", nodeId)));
  }

  static String oldest(HazelcastInstance hazelcast) {
    Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
    return members.hasNext() ? Membership.nodeId(members.next()) : null;
  }
}
