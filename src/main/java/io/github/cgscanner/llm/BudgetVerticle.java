package io.github.cgscanner.llm;

import io.github.cgscanner.cli.ScannerNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Shares this worker's key budgets with every other worker holding the same keys: it owns the
 * budgets the cluster assigns it ({@link BudgetOwner}) and keeps this worker's slices of all of them
 * renewed ({@link BudgetHolder}). Deployed only in a cluster, after the key verticles. Config:
 * {@code {"nodeId"}}.
 */
public final class BudgetVerticle extends VerticleBase {
  static final long CHECK_MS = 1_000;

  private final Function<String, String> ownerOf;
  private long timer;

  /** @param ownerOf the node id of the worker that owns a budget name now, null while the cluster does not know */
  public BudgetVerticle(Function<String, String> ownerOf) {
    this.ownerOf = ownerOf;
  }

  @Override
  public Future<?> start() {
    String nodeId = config().getString("nodeId");
    BudgetStats stats = new BudgetStats(vertx);
    BudgetOwner owner = new BudgetOwner(vertx, nodeId, ownerOf, stats);
    BudgetHolder holder = new BudgetHolder(vertx, context, nodeId, ownerOf, owner, stats);
    owner.localHolder(holder);
    holder.attachAll();
    vertx.eventBus().<JsonObject>localConsumer(ScannerNode.DRAIN_ADDRESS, m -> holder.releaseAll());
    timer = vertx.setPeriodic(CHECK_MS, t -> {
      long now = System.currentTimeMillis();
      holder.check(now);
      owner.expire(now);
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
