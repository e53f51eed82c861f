package io.github.cgscanner.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.function.LongSupplier;

/**
 * A key's budget when this worker shares its key with others through a database, not an event bus
 * (Cloud Run instances): sends are paid from leases of a few requests taken from the key's
 * {@link BudgetBucket} in the database, so all holders together stay within the key's limits. A lease
 * covers half a second of the key's rate and lapses after a second, so an idle holder keeps little
 * of the budget from the others; the next lease is asked for as the last request of one is spent, so
 * a busy holder rarely waits for the database. Cool-downs (429s, exhausted budgets in the provider's
 * headers) go to the bucket and reach every holder with its next lease.
 *
 * <p>Until a limit is known (configured, announced in the provider's headers, or learned by another
 * holder and kept in the bucket) there is nothing to divide: the bucket is looked up once, then one
 * request goes alone until the first answer (which may name the limits), then the worker's own
 * {@link SharedBudget} paces the key, as when it runs alone.
 */
public final class LeasedBudget implements Budget, Shareable {
  /** The database side: takes a lease out of a budget's bucket, or records a cool-down in it. */
  public interface Source {
    Future<BudgetBucket.Grant> lease(String budgetId, double rpm, double tpm, int want, long cost, long coolDownMs);
  }

  public static final String MAP = "scanner.budget.leased";
  private static final String SOURCES = "scanner.budget.sources";
  static final long LEASE_MS = 1_000;
  static final double LEASE_SECONDS = 0.5;
  static final int MAX_LEASE = 50;
  /** How soon a send that waits for a lease in flight looks again. */
  static final long LEASE_POLL_MS = 15;
  static final long SOURCE_DOWN_MS = 1_000;

  private final String id;
  private final Source source;
  private final LongSupplier clock;
  private final SharedBudget alone;
  private final double configuredRpm;
  private final double configuredTpm;
  private double rpm;
  private double tpm;
  private int leasedRequests;
  private double leasedTokens;
  private long leaseUntil;
  private long coolDownUntil;
  private long askAgainAt;
  private long coolDownToShare;
  private boolean asking;
  private boolean lookedUp;
  private int misses;
  private boolean probeSent;
  private boolean answered;

  public LeasedBudget(String id, long rpm, long tpm, Source source, LongSupplier clock) {
    this.id = id;
    this.source = source;
    this.clock = clock;
    this.alone = new SharedBudget(rpm, tpm, clock.getAsLong());
    this.configuredRpm = rpm;
    this.configuredTpm = tpm;
    this.rpm = rpm;
    this.tpm = tpm;
  }

  /** From now on this worker's keys draw from budgets kept by {@code source} (call it before the keys start). */
  public static <S extends Source & Shareable> void share(Vertx vertx, S source) {
    vertx.sharedData().<String, S>getLocalMap(SOURCES).put("source", source);
  }

  static Source sourceOf(Vertx vertx) {
    return vertx.sharedData().<String, Source>getLocalMap(SOURCES).get("source");
  }

  private boolean divided() {
    return rpm > 0 || tpm > 0;
  }

  /** Millis until an undivided budget may send: after the bucket was looked up, and the first request was answered. */
  private long undividedWait(long now) {
    if (!lookedUp) {
      if (!asking) {
        asking = true;
        source.lease(id, 0, 0, 0, 0, 0).onComplete(ar -> lookedUp(ar.succeeded() ? ar.result() : null));
      }
      return LEASE_POLL_MS;
    }
    return probeSent && !answered ? LEASE_POLL_MS : 0;
  }

  private synchronized void lookedUp(BudgetBucket.Grant g) {
    asking = false;
    lookedUp = true;
    if (g != null) {
      rpm = BudgetBucket.lower(rpm, g.rpm());
      tpm = BudgetBucket.lower(tpm, g.tpm());
    }
  }

  @Override
  public synchronized long rpm() {
    return divided() ? Math.round(rpm) : alone.rpm();
  }

  @Override
  public synchronized boolean coolingDown(long now) {
    return divided() ? now < coolDownUntil : alone.coolingDown(now);
  }

  @Override
  public synchronized int requestsAvailable(long now) {
    if (!divided()) return undividedWait(now) > 0 ? 0 : probeSent ? alone.requestsAvailable(now) : 1;
    if (now < coolDownUntil) return 0;
    if (rpm <= 0) return Integer.MAX_VALUE;
    lapse(now);
    if (covered()) return leasedRequests;
    return now < askAgainAt ? 0 : want(1);
  }

  @Override
  public synchronized int affordable(long cost, long now) {
    if (!divided()) return alone.affordable(cost, now);
    if (tpm <= 0) return Integer.MAX_VALUE;
    lapse(now);
    return covered() ? (int) Math.max(1, Math.floor(leasedTokens / Math.max(1, cost))) : want(cost);
  }

  /**
   * Whether work may be taken on: no lease is asked for here (a key with no work asks this all the time,
   * and would keep a lease from the others); only the bucket found empty or a cool-down make it wait.
   */
  @Override
  public synchronized long delayMs(long cost, long now) {
    if (!divided()) return Math.max(undividedWait(now), alone.delayMs(cost, now));
    if (now < coolDownUntil) return coolDownUntil - now;
    lapse(now);
    if (covered()) return 0;
    return Math.max(0, askAgainAt - now);
  }

  private void lapse(long now) {
    if (now >= leaseUntil) {
      leasedRequests = 0;
      leasedTokens = 0;
    }
  }

  /** A lease pays for a request while it has one left (its tokens were counted at the size the lease was asked for). */
  private boolean covered() {
    return leasedRequests >= 1 && (tpm <= 0 || leasedTokens >= 1);
  }

  @Override
  public synchronized long tryTake(long cost, long now) {
    if (!divided()) {
      long wait = undividedWait(now);
      if (wait > 0) return wait;
      long delay = alone.tryTake(cost, now);
      if (delay == 0) probeSent = true;
      return delay;
    }
    if (now < coolDownUntil) return coolDownUntil - now;
    lapse(now);
    if (!covered()) {
      ask(cost, now);
      return Math.max(LEASE_POLL_MS, askAgainAt - now);
    }
    leasedRequests--;
    leasedTokens -= cost;
    // The next lease is asked for as this one runs out, so a busy key rarely waits for the database.
    if (leasedRequests <= 0) ask(cost, now);
    return 0;
  }

  private void ask(long cost, long now) {
    if (asking || now < askAgainAt) return;
    asking = true;
    long share = coolDownToShare > now ? coolDownToShare - now : 0;
    coolDownToShare = 0;
    source.lease(id, rpm, tpm, want(cost), cost, share).onComplete(ar -> granted(ar.succeeded() ? ar.result() : null));
  }

  private int want(long cost) {
    double byRequests = rpm > 0 ? rpm / 60 * LEASE_SECONDS : MAX_LEASE;
    double byTokens = tpm > 0 ? tpm / 60 * LEASE_SECONDS / Math.max(1, cost) : MAX_LEASE;
    return (int) Math.max(1, Math.min(MAX_LEASE, Math.floor(Math.min(byRequests, byTokens))));
  }

  private synchronized void granted(BudgetBucket.Grant g) {
    asking = false;
    long now = clock.getAsLong();
    if (g == null) {
      // The database does not answer: nothing is sent on this key until it does (the store is down too).
      askAgainAt = now + SOURCE_DOWN_MS;
      return;
    }
    if (now >= leaseUntil) {
      leasedRequests = 0;
      leasedTokens = 0;
    }
    leasedRequests += g.requests();
    leasedTokens += g.tokens();
    leaseUntil = now + LEASE_MS;
    rpm = BudgetBucket.lower(rpm, g.rpm());
    tpm = BudgetBucket.lower(tpm, g.tpm());
    coolDownUntil = Math.max(coolDownUntil, now + g.coolDownMs());
    // Holders that find the bucket empty at once would all come back at once: each empty answer in a row waits longer.
    misses = g.requests() > 0 ? 0 : misses + 1;
    askAgainAt = g.requests() > 0 ? 0 : now + Math.min(LEASE_MS, g.waitMs() * misses);
  }

  @Override
  public synchronized void coolDown(long until) {
    coolDownUntil = Math.max(coolDownUntil, until);
    coolDownToShare = Math.max(coolDownToShare, until);
    alone.coolDown(until);
    if (divided()) share(clock.getAsLong());
  }

  /** Takes the cool-down to the bucket now, with the lease in flight or else alone: the other holders must not wait for this one's next lease. */
  private void share(long now) {
    if (asking || coolDownToShare <= now) return;
    asking = true;
    long ms = coolDownToShare - now;
    coolDownToShare = 0;
    source.lease(id, rpm, tpm, 0, 0, ms).onComplete(ar -> granted(ar.succeeded() ? ar.result() : null));
  }

  /** Adopts the provider's limits where they are lower than or instead of configured ones; an exhausted budget cools the key down everywhere. */
  @Override
  public synchronized void learn(RateLimitHeaders h, long lastCost, long now) {
    answered = true;
    alone.learn(h, lastCost, now);
    if (h.limitRequests() != null && h.limitRequests() > 0 && (configuredRpm <= 0 || h.limitRequests() < configuredRpm)) {
      rpm = h.limitRequests();
    }
    if (h.limitTokens() != null && h.limitTokens() > 0 && (configuredTpm <= 0 || h.limitTokens() < configuredTpm)) {
      tpm = h.limitTokens();
    }
    if (h.remainingRequests() != null && h.remainingRequests() <= 0 && rpm > 0) {
      long oneRequest = (long) Math.ceil(60_000 / rpm);
      coolDown(now + Math.min(h.resetRequestsMs() == null ? oneRequest : h.resetRequestsMs(), oneRequest));
    }
    if (h.remainingTokens() != null && h.remainingTokens() < lastCost && tpm > 0) {
      long refillFor = (long) Math.ceil((lastCost - h.remainingTokens()) * 60_000 / tpm);
      coolDown(now + Math.min(h.resetTokensMs() == null ? refillFor : h.resetTokensMs(), refillFor));
    }
  }

  @Override
  public synchronized void onRateLimited(Long retryAfterMs, long sentAt, long now) {
    if (!divided()) {
      alone.onRateLimited(retryAfterMs, sentAt, now);
      return;
    }
    coolDown(now + (retryAfterMs != null ? retryAfterMs : SharedBudget.DEFAULT_BACKOFF_MS));
  }

  @Override
  public synchronized void onSuccess() {
    if (!divided()) alone.onSuccess();
  }

  @Override
  public synchronized boolean hasRequestRate() {
    return divided() ? rpm > 0 : alone.hasRequestRate();
  }
}
