package io.github.cgscanner.llm;

/**
 * What a {@link KeyScheduler} asks of the budget its key draws from: a {@link SharedBudget} when the
 * worker runs alone, a {@link BudgetSlice} of a cluster-wide budget when it runs in a cluster. Times
 * are epoch millis from the caller's clock; every call is a local operation.
 */
public interface Budget {
  /** Requests per minute this budget paces to now; 0 = unknown. */
  long rpm();

  boolean coolingDown(long now);

  /** Whole requests the budget allows right now (Integer.MAX_VALUE when the limit is unknown). */
  int requestsAvailable(long now);

  /** How many requests of {@code cost} tokens the budget pays for now (at least one once it may send). */
  int affordable(long cost, long now);

  /** Millis until a request costing {@code cost} tokens may go, 0 = now. */
  long delayMs(long cost, long now);

  /** Takes one request of {@code cost} tokens if the budget allows it now: 0 when taken, else the millis to wait. */
  long tryTake(long cost, long now);

  void coolDown(long until);

  /** What the provider said in an answer's headers. */
  void learn(RateLimitHeaders h, long lastCost, long now);

  /** A 429 from a provider that did not tell us its request limit. */
  void onRateLimited(Long retryAfterMs, long sentAt, long now);

  void onSuccess();

  /** Whether sends are paced by a request rate (configured, announced by the provider, or discovered). */
  boolean hasRequestRate();
}
