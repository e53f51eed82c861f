package io.github.cgscanner.sim;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * One simulated provider budget: token buckets for requests and tokens refilled continuously, holding
 * {@code burstSeconds} of the minute limit. A request passes when a request is left and the token
 * bucket is not in debt; it then pays its full token cost, which may push the bucket into debt.
 */
final class SimLimiter {
  /** @param waitMs when the request could pass (0 when allowed); {@code kind} "requests" or "tokens" when refused */
  record Decision(boolean allowed, long waitMs, String kind, long limitRequests, long limitTokens, long remainingRequests,
      long remainingTokens, long resetRequestsMs, long resetTokensMs) {}

  private final SimulatorOptions.Limit limit;
  private final double requestCapacity;
  private final double tokenCapacity;
  private double requests;
  private double tokens;
  private long refilledAt;
  private long admitted;
  private long refused;
  private final ArrayDeque<Long> lastMinute = new ArrayDeque<>();
  private int maxPerMinute;

  SimLimiter(SimulatorOptions.Limit limit, double burstSeconds, long now) {
    this.limit = limit;
    this.requestCapacity = Math.max(1, limit.rpm() * burstSeconds / 60);
    this.tokenCapacity = Math.max(1, limit.tpm() * burstSeconds / 60);
    this.requests = requestCapacity;
    this.tokens = tokenCapacity;
    this.refilledAt = now;
  }

  synchronized Decision tryTake(long cost, long now) {
    double elapsed = Math.max(0, now - refilledAt);
    refilledAt = Math.max(refilledAt, now);
    requests = Math.min(requestCapacity, requests + elapsed * limit.rpm() / 60_000.0);
    tokens = Math.min(tokenCapacity, tokens + elapsed * limit.tpm() / 60_000.0);
    boolean requestsOk = limit.rpm() <= 0 || requests >= 1;
    boolean tokensOk = limit.tpm() <= 0 || tokens > 0;
    long wait = 0;
    String kind = null;
    if (!requestsOk) {
      wait = (long) Math.ceil((1 - requests) * 60_000.0 / limit.rpm());
      kind = "requests";
    }
    if (!tokensOk) {
      long w = (long) Math.ceil((1 - tokens) * 60_000.0 / limit.tpm());
      if (w > wait) {
        wait = w;
        kind = "tokens";
      }
    }
    boolean allowed = requestsOk && tokensOk;
    if (allowed) {
      requests -= 1;
      tokens -= cost;
      countAdmitted(now);
    } else {
      refused++;
    }
    return new Decision(allowed, wait, kind, limit.rpm(), limit.tpm(),
        (long) Math.max(0, Math.floor(requests)), (long) Math.max(0, Math.floor(tokens)),
        limit.rpm() > 0 ? (long) Math.ceil((requestCapacity - requests) * 60_000.0 / limit.rpm()) : 0,
        limit.tpm() > 0 ? (long) Math.ceil((tokenCapacity - tokens) * 60_000.0 / limit.tpm()) : 0);
  }

  /** Admissions in any sliding minute: a benchmark's proof that nobody got past the budget. */
  private void countAdmitted(long now) {
    admitted++;
    lastMinute.addLast(now);
    while (lastMinute.peekFirst() <= now - 60_000) lastMinute.removeFirst();
    maxPerMinute = Math.max(maxPerMinute, lastMinute.size());
  }

  synchronized JsonObject stats() {
    return new JsonObject().put("rpm", limit.rpm()).put("tpm", limit.tpm()).put("burstRequests", requestCapacity)
        .put("admitted", admitted).put("refused", refused).put("maxAdmittedPerMinute", maxPerMinute);
  }

  SimulatorOptions.Limit limit() {
    return limit;
  }
}
