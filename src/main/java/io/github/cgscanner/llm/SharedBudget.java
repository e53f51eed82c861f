package io.github.cgscanner.llm;

import io.vertx.core.shareddata.Shareable;
import java.util.ArrayDeque;

/**
 * The request and token budget of one key, or of a group of keys that the provider counts together
 * (keys of one OpenAI project). Key verticles of a group run on different event loops and share one
 * instance through the Vert.x local map, hence the synchronisation. Times are epoch millis from an
 * injected clock so tests never sleep.
 *
 * <p>Both budgets are token buckets refilled continuously at rpm/60 000 per ms. The bucket holds only
 * about one second of the minute budget: providers enforce limits over short windows, so spending a
 * whole minute's budget in one burst earns 429s.
 */
public final class SharedBudget implements Budget, Shareable {
  static final double BURST_SECONDS = 1.0;
  static final long DISCOVERY_WINDOW_MS = 10_000;
  static final long DEFAULT_BACKOFF_MS = 1_000;
  static final int ESTIMATE_SENDS = 20;
  static final double DECREASE = 0.9;
  /**
   * Growth of a discovered rate per success: back from a decrease in about 50 successes at any rate, so
   * a probe costs about one refusal per 50 or more requests even when the limit is 60 rpm.
   */
  static final double INCREASE_PER_SUCCESS = 0.002;

  private double rpm;
  private double tpm;
  private final boolean rpmConfigured;
  private final boolean tpmConfigured;
  private boolean rpmDiscovered;
  private double requests;
  private double tokens;
  private long refilledAt;
  private long coolDownUntil;
  private final ArrayDeque<Long> recentSends = new ArrayDeque<>();
  /** Send times of requests answered 429. */
  private final ArrayDeque<Long> recentRefusals = new ArrayDeque<>();
  private long lastDecreaseAt = Long.MIN_VALUE;

  /** @param rpm requests per minute, 0 when unknown; @param tpm tokens per minute, 0 when unknown */
  public SharedBudget(long rpm, long tpm, long now) {
    this.rpm = rpm;
    this.tpm = tpm;
    this.rpmConfigured = rpm > 0;
    this.tpmConfigured = tpm > 0;
    this.requests = requestCapacity();
    this.tokens = tokenCapacity();
    this.refilledAt = now;
  }

  @Override
  public synchronized long rpm() {
    return Math.round(rpm);
  }

  @Override
  public synchronized boolean coolingDown(long now) {
    return now < coolDownUntil;
  }

  /** Whole requests the budget allows right now (Integer.MAX_VALUE when the limit is unknown). */
  @Override
  public synchronized int requestsAvailable(long now) {
    refill(now);
    if (now < coolDownUntil) return 0;
    return rpm > 0 ? (int) Math.max(0, Math.floor(requests)) : Integer.MAX_VALUE;
  }

  /** How many requests of {@code cost} tokens the token bucket pays for now (at least one once it may send). */
  @Override
  public synchronized int affordable(long cost, long now) {
    refill(now);
    if (tpm <= 0) return Integer.MAX_VALUE;
    return (int) Math.max(1, Math.floor(tokens / Math.max(1, cost)));
  }

  /**
   * Millis until a request costing {@code cost} tokens may go, 0 = now. A request dearer than the
   * whole token bucket may go once the bucket is full, leaving it in debt, so big chunks still pass.
   */
  @Override
  public synchronized long delayMs(long cost, long now) {
    refill(now);
    double wait = Math.max(0, coolDownUntil - now);
    if (rpm > 0 && requests < 1) {
      wait = Math.max(wait, (1 - requests) / perMs(rpm));
    }
    double need = Math.min(cost, tokenCapacity());
    if (tpm > 0 && tokens < need) {
      wait = Math.max(wait, (need - tokens) / perMs(tpm));
    }
    return (long) Math.ceil(wait);
  }

  /**
   * Takes one request of {@code cost} tokens if the budget allows it now, in one step: keys of a group
   * run on different threads, and a separate check and take let two of them spend the same request.
   *
   * @return 0 when taken, else the millis to wait
   */
  @Override
  public synchronized long tryTake(long cost, long now) {
    long delay = delayMs(cost, now);
    if (delay == 0) take(cost, now);
    return delay;
  }

  private void take(long cost, long now) {
    refill(now);
    requests -= 1;
    tokens -= cost;
    recentSends.addLast(now);
    forget(now);
  }

  @Override
  public synchronized void coolDown(long until) {
    coolDownUntil = Math.max(coolDownUntil, until);
  }

  /** Adopts what the provider says: its limits (when lower than or instead of ours) and an exhausted budget. */
  @Override
  public synchronized void learn(RateLimitHeaders h, long lastCost, long now) {
    refill(now);
    if (h.limitRequests() != null && h.limitRequests() > 0 && (!rpmConfigured || h.limitRequests() < rpm)) {
      boolean firstNews = rpm <= 0;
      rpm = h.limitRequests();
      rpmDiscovered = false;
      // Sends made while the rate was unknown were not paced: start from an empty bucket, not from their debt.
      requests = firstNews ? 0 : Math.min(requests, requestCapacity());
    }
    if (h.limitTokens() != null && h.limitTokens() > 0 && (!tpmConfigured || h.limitTokens() < tpm)) {
      tpm = h.limitTokens();
      tokens = Math.min(tokens, tokenCapacity());
    }
    if (h.remainingRequests() != null && h.remainingRequests() <= 0) {
      long oneRequest = rpm > 0 ? (long) Math.ceil(60_000 / rpm) : DEFAULT_BACKOFF_MS;
      coolDown(now + Math.min(orDefault(h.resetRequestsMs(), oneRequest), oneRequest));
    }
    if (h.remainingTokens() != null && h.remainingTokens() < lastCost) {
      long refillFor = tpm > 0 ? (long) Math.ceil((lastCost - h.remainingTokens()) / perMs(tpm)) : DEFAULT_BACKOFF_MS;
      coolDown(now + Math.min(orDefault(h.resetTokensMs(), refillFor), refillFor));
    }
  }

  /**
   * A 429 from a provider that did not tell us its request limit. The rate it admitted lately (recent
   * sends less the refused ones) is the best guess of its limit; we settle 10% below it, once per
   * congestion event (429s of requests sent before the last decrease are the same event), and
   * {@link #onSuccess} probes upwards again. Halving instead would waste a quarter of the limit on average.
   *
   * @param retryAfterMs the wait the provider asked for, or null: the emptied bucket then paces the next send
   */
  @Override
  public synchronized void onRateLimited(Long retryAfterMs, long sentAt, long now) {
    refill(now);
    recentRefusals.addLast(sentAt);
    forget(now);
    if (rpmConfigured || (rpm > 0 && !rpmDiscovered)) {
      coolDown(now + (retryAfterMs != null ? retryAfterMs : DEFAULT_BACKOFF_MS));
      return;
    }
    if (retryAfterMs != null) coolDown(now + retryAfterMs);
    if (sentAt < lastDecreaseAt) return;
    double admitted = admittedPerMinute(now);
    // Unpaced sends before the first 429 left no meaningful debt; later ones did and the provider is now empty.
    requests = rpm > 0 ? Math.min(requests, 0) : 0;
    rpm = Math.max(1, DECREASE * (rpm > 0 ? Math.min(rpm, admitted) : admitted));
    rpmDiscovered = true;
    lastDecreaseAt = now;
  }

  /** Probes a discovered rate upwards, by {@value #INCREASE_PER_SUCCESS} of itself per success. */
  @Override
  public synchronized void onSuccess() {
    if (rpmDiscovered) {
      rpm *= 1 + INCREASE_PER_SUCCESS;
    }
  }

  /** Whether sends are paced by a request rate (configured, announced by the provider, or discovered). */
  @Override
  public synchronized boolean hasRequestRate() {
    return rpm > 0;
  }

  /**
   * Paces this budget to a slice of a cluster-wide one: new rates, each bucket capped at its new
   * capacity. A slice just granted starts empty: the holders that had the budget before may have
   * spent its burst.
   */
  synchronized void reshape(double newRpm, double newTpm, boolean startEmpty, long now) {
    refill(now);
    rpm = newRpm;
    tpm = newTpm;
    rpmDiscovered = false;
    requests = startEmpty ? 0 : Math.min(requests, requestCapacity());
    tokens = startEmpty ? 0 : Math.min(tokens, tokenCapacity());
  }

  /** Requests the provider accepted per minute over the last {@value #ESTIMATE_SENDS} sends (at least a second). */
  private double admittedPerMinute(long now) {
    int n = Math.min(ESTIMATE_SENDS, recentSends.size());
    if (n == 0) return 1;
    long from = recentSends.stream().skip(recentSends.size() - n).findFirst().orElse(now);
    long refused = recentRefusals.stream().filter(t -> t >= from).count();
    double spanMs = Math.max(1_000, now - from);
    return Math.max(1, n - refused) * 60_000 / spanMs;
  }

  private void forget(long now) {
    while (!recentSends.isEmpty() && recentSends.peekFirst() < now - DISCOVERY_WINDOW_MS) recentSends.removeFirst();
    while (!recentRefusals.isEmpty() && recentRefusals.peekFirst() < now - DISCOVERY_WINDOW_MS) recentRefusals.removeFirst();
  }

  private void refill(long now) {
    long elapsed = Math.max(0, now - refilledAt);
    refilledAt = Math.max(refilledAt, now);
    if (rpm > 0) requests = Math.min(requestCapacity(), requests + elapsed * perMs(rpm));
    if (tpm > 0) tokens = Math.min(tokenCapacity(), tokens + elapsed * perMs(tpm));
  }

  private double requestCapacity() {
    return Math.max(1, rpm * BURST_SECONDS / 60);
  }

  private double tokenCapacity() {
    return tpm > 0 ? Math.max(1, tpm * BURST_SECONDS / 60) : Double.MAX_VALUE;
  }

  private static double perMs(double perMinute) {
    return perMinute / 60_000;
  }

  private static long orDefault(Long value, long fallback) {
    return value == null ? fallback : value;
  }
}
