package io.github.cgscanner.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.github.cgscanner.llm.BudgetVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Who owns a cluster-wide key budget: the member that owns the Hazelcast partition of the budget's
 * name. Every member computes it from its own partition table, with no map and no message; when the
 * owner leaves, its partitions, and so its budgets, go to the survivors, whose new ledgers re-learn
 * from the holders. While partitions migrate two members may briefly both answer; a new owner grows
 * nobody's share until every holder has reported, so the two never grant more than the whole.
 */
final class BudgetOwners {
  private BudgetOwners() {}

  static Future<String> deploy(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {
    return vertx.deployVerticle(new BudgetVerticle(budget -> ownerOf(hazelcast, budget)),
        new DeploymentOptions().setConfig(new JsonObject().put("nodeId", nodeId)));
  }

  static String ownerOf(HazelcastInstance hazelcast, String budget) {
    Partition partition = hazelcast.getPartitionService().getPartition(budget);
    Member owner = partition == null ? null : partition.getOwner();
    return owner == null ? null : Membership.nodeId(owner);
  }
}
