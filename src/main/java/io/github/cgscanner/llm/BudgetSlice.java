package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import io.vertx.core.shareddata.Shareable;

/**
 * This worker's slice of a cluster-wide key budget, shared by the key verticles of this JVM that draw
 * from it (through the local map {@link #MAP}), hence the synchronisation. Sends are paced here, by a
 * local {@link SharedBudget} running at the share the budget's owner granted, so a request costs no
 * message. What every holder must know (the limits the provider announces, a 429's cool-down) waits
 * here for the {@link BudgetHolder}, which reports it to the owner. While nobody knows the budget's
 * limits the slice paces itself, as a key alone does, and holds no share.
 */
public final class BudgetSlice implements Budget, Shareable {
  public static final String MAP = "scanner.budget.slices";
  /** How soon a key with work and no share tries again: a share comes within a few round trips. */
  static final long NO_SHARE_POLL_MS = 10;
  /** Quiet intervals (not held back by the slice) before a holder stops saying it wants more. */
  static final int QUIET_INTERVALS = 3;
  /** Intervals without a send before an idle holder gives its share back. */
  static final int IDLE_INTERVALS = 3;
  static final long KEEPALIVE_MS = BudgetLedger.LEASE_MS / 2;

  private final String id;
  private final long configuredRpm;
  private final long configuredTpm;
  private final SharedBudget local;
  private Runnable urgent = () -> { };

  private double share;
  private long totalRpm;
  private long totalTpm;
  private long leaseUntil;

  private long intervalStart;
  private long sent;
  private long tokensSent;
  private boolean blocked;
  private int quietIntervals = QUIET_INTERVALS;
  private int idleIntervals;
  private double usage;
  private boolean due;

  private Long announcedRpm;
  private Long announcedTpm;
  private boolean news;
  private long coolDownUntil;
  private long lastReportAt = Long.MIN_VALUE / 2;
  private boolean reportedSaturated;
  private double reportedUsage;

  private long starvedSince = -1;
  private long sliceWaits;
  private long sliceWaitMs;

  public BudgetSlice(String id, long configuredRpm, long configuredTpm, long now) {
    this.id = id;
    this.configuredRpm = configuredRpm;
    this.configuredTpm = configuredTpm;
    this.totalRpm = configuredRpm;
    this.totalTpm = configuredTpm;
    this.local = new SharedBudget(0, 0, now);
    this.intervalStart = now;
  }

  public String id() {
    return id;
  }

  /** Called (on any thread) when the owner should hear from this holder now. */
  synchronized void onUrgent(Runnable r) {
    urgent = r;
  }

  // ---- what the keys ask (their event loops) ----

  @Override
  public synchronized long rpm() {
    return known() ? Math.round(share * totalRpm) : local.rpm();
  }

  @Override
  public synchronized boolean coolingDown(long now) {
    return local.coolingDown(now);
  }

  /** Without a share a key may still pull one task: having work is what makes the holder ask for a share. */
  @Override
  public synchronized int requestsAvailable(long now) {
    return waiting(now) ? 1 : local.requestsAvailable(now);
  }

  @Override
  public synchronized int affordable(long cost, long now) {
    return waiting(now) ? 1 : local.affordable(cost, now);
  }

  @Override
  public synchronized long delayMs(long cost, long now) {
    if (waiting(now)) return 0;
    long d = local.delayMs(cost, now);
    if (d > 0) blocked = true;
    return d;
  }

  @Override
  public synchronized long tryTake(long cost, long now) {
    if (waiting(now)) {
      if (starvedSince < 0) {
        starvedSince = now;
        sliceWaits++;
        urgent.run();
      }
      return NO_SHARE_POLL_MS;
    }
    long d = local.tryTake(cost, now);
    if (d > 0) {
      blocked = true;
      return d;
    }
    sent++;
    tokensSent += cost;
    if (starvedSince >= 0) {
      sliceWaitMs += now - starvedSince;
      starvedSince = -1;
    }
    return 0;
  }

  /** A 429's cool-down, here and, through the owner, at every other holder. */
  @Override
  public synchronized void coolDown(long until) {
    local.coolDown(until);
    if (until > coolDownUntil) {
      coolDownUntil = until;
      news = true;
      urgent.run();
    }
  }

  /** The limits a provider announces are the whole budget's: they go to the owner, never into this slice's pace. */
  @Override
  public synchronized void learn(RateLimitHeaders h, long lastCost, long now) {
    local.learn(new RateLimitHeaders(null, null, h.remainingRequests(), h.remainingTokens(), h.resetRequestsMs(),
        h.resetTokensMs(), h.retryAfterMs()), lastCost, now);
    boolean changed = false;
    if (h.limitRequests() != null && h.limitRequests() > 0 && !h.limitRequests().equals(announcedRpm)) {
      announcedRpm = h.limitRequests();
      changed = true;
    }
    if (h.limitTokens() != null && h.limitTokens() > 0 && !h.limitTokens().equals(announcedTpm)) {
      announcedTpm = h.limitTokens();
      changed = true;
    }
    if (changed) {
      news = true;
      urgent.run();
    }
  }

  @Override
  public synchronized void onRateLimited(Long retryAfterMs, long sentAt, long now) {
    if (known()) {
      coolDown(now + (retryAfterMs != null ? retryAfterMs : SharedBudget.DEFAULT_BACKOFF_MS));
    } else {
      local.onRateLimited(retryAfterMs, sentAt, now);
      if (retryAfterMs != null) coolDown(now + retryAfterMs);
    }
  }

  @Override
  public synchronized void onSuccess() {
    local.onSuccess();
  }

  @Override
  public synchronized boolean hasRequestRate() {
    return known() || local.hasRequestRate();
  }

  // ---- what the holder does (the budget verticle's event loop) ----

  /**
   * Closes the interval that began at the last call. @return whether the owner should hear from this
   * holder: news, work without a share, a change in what it needs, an idle share to give back, or a
   * lease to keep alive
   */
  synchronized boolean tick(long now) {
    double minutes = Math.max(1, now - intervalStart) / 60_000.0;
    usage = Math.max(totalRpm > 0 ? sent / minutes / totalRpm : 0, totalTpm > 0 ? tokensSent / minutes / totalTpm : 0);
    quietIntervals = blocked ? 0 : quietIntervals + 1;
    idleIntervals = sent == 0 && !blocked && starvedSince < 0 ? idleIntervals + 1 : 0;
    sent = 0;
    tokensSent = 0;
    blocked = false;
    intervalStart = now;
    if (due || news || starvedSince >= 0) return true;
    // A holder of a budget whose limits nobody knows yet still makes itself known, to hear them when they are.
    boolean active = holds() || (!known() && idleIntervals == 0);
    if (!active) return false;
    return idleIntervals >= IDLE_INTERVALS || now - lastReportAt >= KEEPALIVE_MS || saturated() != reportedSaturated
        || (!saturated() && Math.abs(usage - reportedUsage) > Math.max(0.05, 0.3 * reportedUsage));
  }

  /** What to tell the owner now; {@code release} gives the share back (also done when idle). */
  synchronized Report report(long now, boolean release) {
    boolean giveBack = release || (idleIntervals >= IDLE_INTERVALS && starvedSince < 0);
    lastReportAt = now;
    reportedSaturated = saturated();
    reportedUsage = usage;
    news = false;
    due = false;
    return new Report(id, configuredRpm, configuredTpm, known() ? share : 0, usage, saturated(), starvedSince >= 0, giveBack,
        announcedRpm, announcedTpm, Math.max(0, coolDownUntil - now));
  }

  /** The report did not reach the owner: say it again at the next chance. */
  synchronized void unsent() {
    due = true;
  }

  /** A renewal was asked for while one was in flight. */
  synchronized void markDue() {
    due = true;
  }

  synchronized boolean isDue() {
    return due;
  }

  /** @param askedAt when the renewal left: the lease runs from then, so it never outlives the owner's record of it */
  synchronized void apply(Grant g, long askedAt, long now) {
    if (g.moved()) {
      due = true;
      return;
    }
    boolean had = holds();
    totalRpm = g.totalRpm();
    totalTpm = g.totalTpm();
    share = g.share();
    if (!known()) return;
    leaseUntil = askedAt + BudgetLedger.LEASE_MS;
    if (share > 0) local.reshape(share * totalRpm, share * totalTpm, !had, now);
    if (share <= 0) idleIntervals = 0;
  }

  /** Another holder was refused: this one waits too. */
  synchronized void applyCoolDown(long ms, long now) {
    local.coolDown(now + ms);
  }

  /** Whether this holder holds a share of a budget with known limits. */
  synchronized boolean holds() {
    return known() && share > 0;
  }

  // ---- what the views show ----

  /** The share held, 0..1; null while the budget's limits are unknown. */
  public synchronized Double share() {
    return known() ? share : null;
  }

  /** Times a key of this holder had work and no share to send it with. */
  public synchronized long sliceWaits() {
    return sliceWaits;
  }

  /** Millis keys waited, in all, for a share to send with (from having work to sending it). */
  public synchronized long sliceWaitMs() {
    return sliceWaitMs;
  }

  /**
   * Limits the owner gave, or that this holder read in headers and the owner has not confirmed yet:
   * either way the budget has limits, and a holder without a share may not send.
   */
  private boolean known() {
    return totalRpm > 0 || totalTpm > 0 || announcedRpm != null || announcedTpm != null;
  }

  private boolean waiting(long now) {
    return known() && (share <= 0 || now > leaseUntil);
  }

  private boolean saturated() {
    return quietIntervals < QUIET_INTERVALS;
  }
}
