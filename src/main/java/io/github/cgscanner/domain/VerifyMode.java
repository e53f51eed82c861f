package io.github.cgscanner.domain;

import java.util.Locale;

/**
 * Which model findings the verification pass asks about again ({@code review.verify},
 * {@code SCANNER_REVIEW_VERIFY}, {@code options.verify}): none, the critical and high ones, or all.
 */
public enum VerifyMode {
  OFF,
  HIGH,
  ALL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the mode, or null for anything else */
  public static VerifyMode parse(String text) {
    if (text == null) return null;
    for (VerifyMode m : values()) {
      if (m.wire().equals(text.trim().toLowerCase(Locale.ROOT))) return m;
    }
    return null;
  }

  /** Whether a finding is verified before it is reported: only model findings are, local ones are exact rules. */
  public boolean covers(Finding f) {
    if (this == OFF || !"llm".equals(f.source()) || f.severity() == null) return false;
    return this == ALL || f.severity().atLeast(Severity.HIGH);
  }
}
