package io.github.cgscanner.llm;

/**
 * One budget (a key, or a group of {@code keys.limits}) as workers without an event bus between them
 * keep it in their shared database: a token bucket of requests and one of tokens, refilled at rpm/60,000
 * and tpm/60,000 per ms and holding one second of each (as {@link SharedBudget} does for a worker
 * alone). Holders take leases of a few requests out of it; times are the database's clock, so the
 * holders' clocks need not agree. Pure: the store reads a row, calls {@link #take}, writes the result.
 */
public record BudgetBucket(double rpm, double tpm, double requests, double tokens, long refilledAt, long coolDownUntil) {
  /**
   * What a holder got: {@code requests} requests and {@code tokens} tokens to spend within its lease,
   * the limits the bucket paces to, the cool-down still to run and, when nothing was granted, the
   * millis until asking again makes sense.
   */
  public record Grant(int requests, double tokens, double rpm, double tpm, long coolDownMs, long waitMs) {}

  public record Taken(BudgetBucket next, Grant grant) {}

  /**
   * A bucket whose limits just became known starts empty: the holders may have spent the provider's
   * burst while they did not know them (and it costs a configured limit one second at the start).
   */
  public static BudgetBucket fresh(double rpm, double tpm, long now) {
    return new BudgetBucket(rpm, tpm, 0, 0, now, 0);
  }

  /**
   * Refills, adopts the holder's limits where they are lower (or the first known), records its
   * cool-down and takes up to {@code want} requests of {@code cost} tokens each.
   */
  public Taken take(double holderRpm, double holderTpm, int want, long cost, long coolDownMs, long now) {
    double r = lower(rpm, holderRpm);
    double t = lower(tpm, holderTpm);
    long elapsed = Math.max(0, now - refilledAt);
    double req = r > 0 ? Math.min(capacity(r), requests + elapsed * r / 60_000) : 0;
    double tok = t > 0 ? Math.min(capacity(t), tokens + elapsed * t / 60_000) : 0;
    long cool = Math.max(coolDownUntil, coolDownMs > 0 ? now + coolDownMs : 0);
    // A request dearer than the whole token bucket may go once it is full, leaving it in debt.
    double tokensNeeded = Math.min(Math.max(1, cost), capacity(t));
    // Leases of at least a quarter of the bucket (or all that was asked for): holders waking at once do
    // not take it one request at a time.
    int least = r > 0 ? (int) Math.max(1, Math.min(want, Math.floor(capacity(r) / 4))) : 1;
    int n = 0;
    if (now >= cool && want > 0) {
      n = r > 0 ? (Math.floor(req) >= least ? (int) Math.min(want, Math.floor(req)) : 0) : want;
      if (t > 0) n = tok >= tokensNeeded ? Math.min(n, (int) Math.max(1, Math.floor(tok / Math.max(1, cost)))) : 0;
    }
    long wait = 0;
    if (n == 0) {
      double w = Math.max(0, cool - now);
      // Back when the whole lease is there, if nobody else takes it meanwhile.
      if (r > 0 && req < least) w = Math.max(w, (Math.min(want, capacity(r)) - req) * 60_000 / r);
      if (t > 0 && tok < tokensNeeded) w = Math.max(w, (tokensNeeded - tok) * 60_000 / t);
      wait = Math.max(1, (long) Math.ceil(w));
    }
    double spent = t > 0 ? (double) n * Math.max(1, cost) : 0;
    BudgetBucket next = new BudgetBucket(r, t, req - (r > 0 ? n : 0), tok - spent, Math.max(refilledAt, now), cool);
    return new Taken(next, new Grant(n, spent, r, t, Math.max(0, cool - now), wait));
  }

  static double capacity(double perMinute) {
    return perMinute > 0 ? Math.max(1, perMinute * SharedBudget.BURST_SECONDS / 60) : 0;
  }

  /** The lower of two limits where both are known (> 0), else the known one. */
  static double lower(double a, double b) {
    return a > 0 && b > 0 ? Math.min(a, b) : Math.max(a, b);
  }
}
