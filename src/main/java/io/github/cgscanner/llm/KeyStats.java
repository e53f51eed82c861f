package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.KeyState;

/**
 * Counters of one key, published as its state message. Only the alias ever appears here. In a cluster
 * it also shows this worker's share of the key's budget and how often the key waited for one.
 */
final class KeyStats {
  long requests;
  long ok;
  long rateLimited;
  long serverErrors;
  long timeouts;
  long invalid;
  long promptTokens;
  long completionTokens;
  long cachedTokens;

  void count(ChatOutcome o) {
    requests++;
    promptTokens += o.promptTokens();
    completionTokens += o.completionTokens();
    cachedTokens += o.cachedTokens();
    switch (o.kind()) {
      case OK -> ok++;
      case RATE_LIMITED -> rateLimited++;
      case SERVER_ERROR, CONNECTION -> serverErrors++;
      case TIMEOUT -> timeouts++;
      default -> { }
    }
  }

  KeyState state(String alias, String nodeId, KeyScheduler scheduler, long now) {
    KeyState.Share share = scheduler.budget() instanceof BudgetSlice slice
        ? new KeyState.Share(slice.share(), slice.sliceWaits(), slice.sliceWaitMs()) : null;
    return new KeyState(alias, nodeId, scheduler.state(now), scheduler.inFlight(), scheduler.capacity(), requests, ok,
        rateLimited, serverErrors, timeouts, invalid, promptTokens, completionTokens, cachedTokens, scheduler.disabledReason(),
        share);
  }
}
