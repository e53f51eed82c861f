package io.github.cgscanner.domain;

import java.util.Locale;

/**
 * A finding's {@code state}. Only {@code open} findings count for {@code --fail-on} and appear as
 * SARIF results; {@code rejected} is set by the verification pass.
 */
public enum FindingState {
  OPEN, FALSE_POSITIVE, ACCEPTED_RISK, SUPPRESSED, REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the state named by {@code text}; {@code open} for null or an unknown name */
  public static FindingState parse(String text) {
    if (text == null) return OPEN;
    for (FindingState s : values()) {
      if (s.wire().equals(text.trim().toLowerCase(Locale.ROOT))) return s;
    }
    return OPEN;
  }
}
