package io.github.cgscanner.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Who owns the cluster-wide key budgets: the oldest member, the first of Hazelcast's member list, which
 * every member orders alike. Every member reads it from its own copy of the list, with no map and no
 * message, and it changes only when that member leaves (then the next oldest re-learns from the
 * holders). The owner of a partition would spread budgets over members, but partitions move on every
 * join: each move cost the holders of a moved budget seconds without a share, at every scale-up.
 */
public final class BudgetOwners {
  private BudgetOwners() {}

  /** The node id of the owner of every budget now, for the budget verticle. */
  public static Supplier<String> of(HazelcastInstance hazelcast) {
    return () -> oldest(hazelcast);
  }

  static String oldest(HazelcastInstance hazelcast) {
    Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
    return members.hasNext() ? Membership.nodeId(members.next()) : null;
  }
}
