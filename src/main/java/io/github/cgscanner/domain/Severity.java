package io.github.cgscanner.domain;

import java.util.Locale;

public enum Severity {
  CRITICAL, HIGH, MEDIUM, LOW, INFO;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity named by {@code text} (case-insensitive), or null when it names none. */
  public static Severity parse(String text) {
    if (text == null) return null;
    for (Severity s : values()) {
      if (s.wire().equals(text.trim().toLowerCase(Locale.ROOT))) return s;
    }
    return null;
  }

  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }
}
