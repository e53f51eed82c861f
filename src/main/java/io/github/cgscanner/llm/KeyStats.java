package io.github.cgscanner.llm;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.KeyState;

/**
 * Counters of one key, published as its state message. Only the alias ever appears here, beside its
 * endpoint's host, model and dialect. In a cluster it also shows this worker's share of the key's
 * budget and how often the key waited for one.
 */
final class KeyStats {
  private final ScannerConfig.Model model;
  long requests;
  long ok;
  long rateLimited;
  long serverErrors;
  long timeouts;
  long invalid;
  long promptTokens;
  long completionTokens;
  long cachedTokens;
  /** Findings in this key's answers that passed validation, and those the validator dropped: a worse model shows here. */
  long findings;
  long findingsRejected;

  KeyStats(ScannerConfig.Model model) {
    this.model = model;
  }

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

  /** A review answered: the findings it kept and those validation rejected. */
  void count(int kept, int rejected) {
    findings += kept;
    findingsRejected += rejected;
  }

  /** @param degraded null, or how the key works around what its endpoint refused ({@link KeyState#SCHEMA_IN_PROMPT}) */
  KeyState state(String alias, String nodeId, KeyScheduler scheduler, String degraded, long now) {
    KeyState.Share share = scheduler.budget() instanceof BudgetSlice slice
        ? new KeyState.Share(slice.share(), slice.sliceWaits(), slice.sliceWaitMs()) : null;
    KeyState.Provider provider = new KeyState.Provider(model.host(), model.name(), model.dialect(), degraded);
    return new KeyState(alias, nodeId, provider, scheduler.state(now), scheduler.inFlight(), scheduler.capacity(), requests, ok,
        rateLimited, serverErrors, timeouts, invalid, promptTokens, completionTokens, cachedTokens, findings, findingsRejected,
        scheduler.disabledReason(), share);
  }
}
