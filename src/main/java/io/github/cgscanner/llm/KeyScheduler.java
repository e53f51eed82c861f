package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.KeyState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Decides when one key may send: its {@link Budget} (requests and tokens, perhaps shared with the
 * other keys of its group, and with the other workers holding the same key) and an adaptive in-flight window. The window grows like TCP: doubling
 * per round trip until the first 429 (slow start), then by one per round trip; a 429 halves it, once per
 * round trip. The window only brakes a key whose request rate is unknown: once the rate is configured,
 * announced in headers or discovered from 429s, pacing decides and up to {@code maxInFlight} may fly. Pure Java with caller-supplied clock values; one instance per key verticle, used on its
 * event loop only.
 */
public final class KeyScheduler {
  public static final String HEALTHY = KeyState.HEALTHY;
  public static final String THROTTLED = KeyState.THROTTLED;
  public static final String DISABLED = KeyState.DISABLED;

  private final Budget budget;
  private final int maxInFlight;
  private double window;
  private double slowStartThreshold = Double.MAX_VALUE;
  private long lastDecreaseAt = Long.MIN_VALUE;
  private int inFlight;
  private String disabledReason;

  public KeyScheduler(Budget budget, int maxInFlight, int initialWindow) {
    this.budget = budget;
    this.maxInFlight = maxInFlight;
    this.window = Math.max(1, Math.min(initialWindow, maxInFlight));
  }

  /** Token cost the provider charges against the TPM budget: prompt plus completion allowance. */
  public static long cost(long promptTokens, int maxCompletionTokens, String accounting) {
    return "max".equals(accounting) ? Math.max(promptTokens, maxCompletionTokens) : promptTokens + maxCompletionTokens;
  }

  /** Which budget a key draws from: {@code budgetName} is shared by every key of a group; 0 = unknown. */
  public record Limits(String budgetName, long rpm, long tpm) {}

  /** The budget of a key alias according to {@code keys.limits}: its group's, else its own entry. */
  public static Limits limitsFor(JsonObject limits, String alias) {
    JsonArray groups = limits.getJsonArray("groups", new JsonArray());
    for (int i = 0; i < groups.size(); i++) {
      JsonObject g = groups.getJsonObject(i);
      if (g.getJsonArray("keys", new JsonArray()).contains(alias)) {
        return new Limits("group:" + g.getString("name", "group-" + i), g.getLong("rpm", 0L), g.getLong("tpm", 0L));
      }
    }
    JsonObject own = limits.getJsonObject(alias, new JsonObject());
    return new Limits("key:" + alias, own.getLong("rpm", 0L), own.getLong("tpm", 0L));
  }

  public int freeSlots(long now) {
    if (disabledReason != null) return 0;
    int byWindow = capacity() - inFlight;
    return Math.max(0, Math.min(byWindow, budget.requestsAvailable(now)));
  }

  /**
   * Tasks to ask for now, each expected to cost about {@code typicalCost} tokens: no more than the key
   * can send soon, so work it cannot start stays with keys that have room.
   */
  public int credits(long typicalCost, long now) {
    if (delayMs(typicalCost, now) > 0) return 0;
    return Math.min(freeSlots(now), budget.affordable(typicalCost, now));
  }

  /** Millis until a request of {@code cost} tokens may be sent; 0 = now. */
  public long delayMs(long cost, long now) {
    return disabledReason != null ? Long.MAX_VALUE : budget.delayMs(cost, now);
  }

  /**
   * Sends if the budget and the window allow it now, accounting for it at once.
   *
   * @return 0 when the request may go (it is now in flight), else the millis to wait; Long.MAX_VALUE
   *     when disabled, 1 when only the window is full (an answer will free it)
   */
  public long trySend(long cost, long now) {
    if (disabledReason != null) return Long.MAX_VALUE;
    if (inFlight >= capacity()) return 1;
    long delay = budget.tryTake(cost, now);
    if (delay == 0) inFlight++;
    return delay;
  }

  /**
   * @param sentAt when the request went out: 429s of requests sent before the last decrease belong to
   *     the same congestion event and do not shrink the window again
   */
  public void onResponse(long sentAt, int status, RateLimitHeaders h, long cost, long now) {
    inFlight = Math.max(0, inFlight - 1);
    budget.learn(h, cost, now);
    if (status == 429) {
      if (h.limitRequests() == null) {
        budget.onRateLimited(h.retryAfterMs(), sentAt, now);
      } else {
        budget.coolDown(now + (h.retryAfterMs() != null ? h.retryAfterMs() : SharedBudget.DEFAULT_BACKOFF_MS));
      }
      if (sentAt >= lastDecreaseAt) {
        slowStartThreshold = Math.max(1, window / 2);
        window = slowStartThreshold;
        lastDecreaseAt = now;
      }
    } else if (status >= 200 && status < 300) {
      budget.onSuccess();
      window = Math.min(maxInFlight, window < slowStartThreshold ? window + 1 : window + 1 / window);
    }
  }

  /** A request that got no HTTP answer (timeout, connection error). */
  public void onNoResponse() {
    inFlight = Math.max(0, inFlight - 1);
  }

  public void disable(String reason) {
    disabledReason = reason;
  }

  public void enable() {
    disabledReason = null;
  }

  public String disabledReason() {
    return disabledReason;
  }

  public String state(long now) {
    if (disabledReason != null) return DISABLED;
    return budget.coolingDown(now) ? THROTTLED : HEALTHY;
  }

  public int inFlight() {
    return inFlight;
  }

  /**
   * Requests that may be in flight. Once sends are paced by a request rate the pacing is the limit and
   * the window would only starve the key at high latency; until then the window is the only brake.
   */
  public int capacity() {
    return budget.hasRequestRate() ? maxInFlight : (int) Math.floor(window);
  }

  public Budget budget() {
    return budget;
  }
}
