package io.github.cgscanner.llm;

import io.github.cgscanner.cli.ScannerNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Shares this worker's key budgets with every other worker holding the same keys: it owns them when
 * the cluster says so ({@link BudgetOwner}) and keeps this worker's slices of them renewed
 * ({@link BudgetHolder}). Deployed only in a cluster, after the key verticles. Config:
 * {@code {"nodeId"}}.
 */
public final class BudgetVerticle extends VerticleBase {
  static final long CHECK_MS = 1_000;

  private final Supplier<String> ownerNode;
  private long timer;

  /** @param owner the node id of the worker that owns the budgets now, null while the cluster does not know */
  public BudgetVerticle(Supplier<String> owner) {
    this.ownerNode = owner;
  }

  @Override
  public Future<?> start() {
    String nodeId = config().getString("nodeId");
    BudgetStats stats = new BudgetStats(vertx);
    BudgetOwner owner = new BudgetOwner(vertx, nodeId, ownerNode, stats);
    BudgetHolder holder = new BudgetHolder(vertx, context, nodeId, ownerNode, owner, stats);
    owner.localHolder(holder);
    owner.check(System.currentTimeMillis());
    holder.attachAll();
    vertx.eventBus().<JsonObject>localConsumer(ScannerNode.DRAIN_ADDRESS, m -> holder.releaseAll());
    timer = vertx.setPeriodic(CHECK_MS, t -> {
      long now = System.currentTimeMillis();
      owner.check(now);
      holder.check(now);
    });
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(BudgetProtocol.ownerAddress(nodeId), owner::onRenewal).completion(),
        vertx.eventBus().<JsonObject>consumer(BudgetProtocol.holderAddress(nodeId), m -> holder.onMessage(m.body())).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
