package io.github.cgscanner.store.jdbc;

import io.github.cgscanner.llm.BudgetBucket;
import io.github.cgscanner.llm.LeasedBudget;
import io.vertx.core.Future;
import io.vertx.core.shareddata.Shareable;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

/**
 * The budgets of keys shared by workers on one PostgreSQL without an event bus between them: one row
 * per budget name (a key's hash, never the key) in {@code key_budgets}. A lease is taken in one short
 * transaction that locks the row ({@code SELECT … FOR UPDATE}), so concurrent holders take from the
 * bucket one after the other and never spend the same requests. The database's clock paces the bucket.
 */
public final class BudgetLeases implements LeasedBudget.Source, Shareable {
  private static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

  private final Pool pool;

  public BudgetLeases(Database db) {
    this.pool = db.pool();
  }

  @Override
  public Future<BudgetBucket.Grant> lease(String budgetId, double rpm, double tpm, int want, long cost, long coolDownMs) {
    return pool.withTransaction(c -> c.preparedQuery("INSERT INTO key_budgets (budget_id, rpm, tpm, requests, tokens, refilled_at, cool_down_until) "
            + "VALUES (?, 0, 0, 0, 0, " + NOW_MS + ", 0) ON CONFLICT (budget_id) DO NOTHING").execute(Sql.args(budgetId))
        .compose(v -> c.preparedQuery("SELECT rpm, tpm, requests, tokens, refilled_at, cool_down_until, " + NOW_MS
            + " FROM key_budgets WHERE budget_id = ? FOR UPDATE").execute(Sql.args(budgetId)))
        .compose(rows -> {
          Row row = rows.iterator().next();
          long now = row.getLong(6);
          BudgetBucket bucket = row.getDouble(0) <= 0 && row.getDouble(1) <= 0
              // A row made above, or one no holder knew limits for yet.
              ? BudgetBucket.fresh(rpm, tpm, now)
              : new BudgetBucket(row.getDouble(0), row.getDouble(1), row.getDouble(2), row.getDouble(3), row.getLong(4), row.getLong(5));
          BudgetBucket.Taken taken = bucket.take(rpm, tpm, want, cost, coolDownMs, now);
          return write(c, budgetId, taken.next()).map(taken.grant());
        }));
  }

  private static Future<Void> write(SqlClient c, String budgetId, BudgetBucket b) {
    return c.preparedQuery("UPDATE key_budgets SET rpm = ?, tpm = ?, requests = ?, tokens = ?, refilled_at = ?, cool_down_until = ? WHERE budget_id = ?")
        .execute(Sql.args(b.rpm(), b.tpm(), b.requests(), b.tokens(), b.refilledAt(), b.coolDownUntil(), budgetId)).mapEmpty();
  }
}
