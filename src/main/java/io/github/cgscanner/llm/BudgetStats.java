package io.github.cgscanner.llm;

import io.vertx.core.Vertx;

/**
 * What sharing budgets costs this worker: event-bus messages it sent for it (renewals, their answers,
 * nudges, cool-downs; none for a budget it owns itself), in the local map {@link #MAP} for the load
 * registry and the metrics. Used on the budget verticle's event loop only.
 */
public final class BudgetStats {
  public static final String MAP = "scanner.budget.stats";
  public static final String MESSAGES = "messages";

  private final Vertx vertx;
  private long messages;

  BudgetStats(Vertx vertx) {
    this.vertx = vertx;
  }

  void sent() {
    messages++;
    vertx.sharedData().getLocalMap(MAP).put(MESSAGES, messages);
  }

  /** Messages this worker sent to share budgets, 0 when it shares none. */
  public static long messages(Vertx vertx) {
    Object n = vertx.sharedData().getLocalMap(MAP).get(MESSAGES);
    return n instanceof Long l ? l : 0;
  }
}
