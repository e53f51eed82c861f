package io.github.cgscanner.scan;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The review tasks of one scan: pending, leased (to a key of this worker or of a peer) and their
 * attempts. A lease covers one task, which is one model request bounded by the request timeout, so
 * leases need no renewal: one that outlives its expiry belongs to a holder that is gone.
 */
final class TaskBoard {
  record Lease(String leaseId, String holder, long expiresAt, JsonObject task) {}

  private final String scanId;
  private final Deque<JsonObject> pending = new ArrayDeque<>();
  private final Map<String, Lease> leased = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Set<String> holders = new LinkedHashSet<>();
  private int nextTaskNo;

  TaskBoard(String scanId) {
    this.scanId = scanId;
  }

  JsonObject newTask(JsonArray parts, long estimatedTokens) {
    return new JsonObject()
        .put("taskId", scanId + ":" + nextTaskNo++)
        .put("scanId", scanId)
        .put("parts", parts)
        .put("estimatedTokens", estimatedTokens);
  }

  void add(JsonObject task) {
    pending.addLast(task);
  }

  /** Work that failed once goes to the front: it is older than everything queued behind it. */
  void requeue(JsonObject task) {
    pending.addFirst(task);
  }

  List<JsonObject> lease(int max, String holder, long now, long ttlMs) {
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < max && !pending.isEmpty()) {
      JsonObject task = pending.pollFirst();
      String leaseId = UUID.randomUUID().toString();
      leased.put(task.getString("taskId"), new Lease(leaseId, holder, now + ttlMs, task));
      holders.add(holder);
      out.add(task.copy().put("leaseId", leaseId).put("attempt", attempts.getOrDefault(task.getString("taskId"), 0)));
    }
    return out;
  }

  /** @return the lease the result answers, or null for a late or repeated result (to be ignored) */
  Lease release(String taskId, String leaseId) {
    Lease lease = leased.get(taskId);
    if (lease == null || !lease.leaseId().equals(leaseId)) return null;
    leased.remove(taskId);
    return lease;
  }

  int incrementAttempts(String taskId) {
    return attempts.merge(taskId, 1, Integer::sum);
  }

  /** Leases past their expiry, or held by a node that left, go back to the queue. */
  int reclaim(long now, Set<String> goneHolders) {
    int n = 0;
    for (Iterator<Lease> it = leased.values().iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      if (lease.expiresAt() < now || goneHolders.contains(lease.holder())) {
        it.remove();
        pending.addFirst(lease.task());
        n++;
      }
    }
    return n;
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  int pendingCount() {
    return pending.size();
  }

  int leasedCount() {
    return leased.size();
  }

  boolean idle() {
    return pending.isEmpty() && leased.isEmpty();
  }

  Set<String> holders() {
    return holders;
  }

  /** Drops everything not yet answered (cancel, failure); returns the tasks that were outstanding. */
  List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>(pending);
    leased.values().forEach(l -> out.add(l.task()));
    pending.clear();
    leased.clear();
    return out;
  }
}
