package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.BudgetProtocol;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.BudgetProtocol;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Shares this worker's key budgets with every other worker holding the same keys: it owns them when
 * the cluster says so ({@link BudgetOwner}) and keeps this worker's slices of them renewed
 * ({@link BudgetHolder}). Deployed only in a cluster, after the key verticles.
 */
public final class BudgetVerticle extends VerticleBase {
  static final long CHECK_MS = 1_000;

  private final String nodeId;
  private final Supplier<String> ownerNode;
  private long timer;

  /** @param owner the node id of the worker that owns the budgets now, null while the cluster does not know */
  public BudgetVerticle(String nodeId, Supplier<String> owner) {
    this.nodeId = nodeId;
    this.ownerNode = owner;
  }

  @Override
  public Future<?> start() {
    BudgetStats stats = new BudgetStats(vertx);
    BudgetOwner owner = new BudgetOwner(vertx, nodeId, ownerNode, stats);
    BudgetHolder holder = new BudgetHolder(vertx, context, nodeId, ownerNode, owner, stats);
    owner.localHolder(holder);
    owner.check(System.currentTimeMillis());
    holder.attachAll();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.DRAIN, m -> holder.releaseAll());
    timer = vertx.setPeriodic(CHECK_MS, t -> {
      long now = System.currentTimeMillis();
      owner.check(now);
      holder.check(now);
    });
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.budgetRenewals(nodeId), owner::onRenewal).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.budgetNudges(nodeId),
            m -> holder.onNudge(BudgetProtocol.Nudge.fromJson(m.body()))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.budgetCoolDowns(nodeId),
            m -> holder.onCoolDown(BudgetProtocol.CoolDown.fromJson(m.body()))).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
