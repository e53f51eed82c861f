package io.github.cgscanner.store.jdbc;

import io.github.cgscanner.llm.LeasedBudget;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What a worker that shares its PostgreSQL with others but no event bus (Cloud Run instances) starts
 * besides the store: the listener of other workers' stored events and cancels, the relay of its own
 * cancels to them, and its keys' budgets kept in the database.
 */
public final class SharedDatabase {
  private SharedDatabase() {}

  public static Future<Void> join(Vertx vertx, Database db, ScanStore store, String nodeId) {
    LeasedBudget.share(vertx, new BudgetLeases(db));
    return vertx.deployVerticle(new EventNoticeListener(db, nodeId))
        .compose(id -> vertx.deployVerticle(new CancelRelay(db, store)))
        .mapEmpty();
  }
}
