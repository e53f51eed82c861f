package io.github.cgscanner.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a scan is in its life, and the only moves it may make:
 * {@code queued → fetching → scanning → completed | failed | cancelled}; a scan may also fail or be
 * cancelled from any state that is not final. Which final status a scan that ran out of work gets is
 * {@link ScanVerdict}'s decision.
 */
public enum ScanStatus {
  QUEUED, FETCHING, SCANNING, COMPLETED, FAILED, CANCELLED;

  private static final Set<ScanStatus> FINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED);

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ScanStatus parse(String text) {
    for (ScanStatus s : values()) {
      if (s.wire().equals(text)) return s;
    }
    throw new IllegalArgumentException("unknown scan status '" + text + "'");
  }

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  /** Whether the scan holds resources (a preparation or model work). */
  public boolean isActive() {
    return this == FETCHING || this == SCANNING;
  }

  public static boolean isFinal(String wire) {
    return wire != null && FINAL.stream().anyMatch(s -> s.wire().equals(wire));
  }

  public boolean canMoveTo(ScanStatus next) {
    return switch (this) {
      case QUEUED -> next == FETCHING || next == FAILED || next == CANCELLED;
      case FETCHING -> next == SCANNING || next == COMPLETED || next == FAILED || next == CANCELLED;
      case SCANNING -> next == COMPLETED || next == FAILED || next == CANCELLED;
      case COMPLETED, FAILED, CANCELLED -> false;
    };
  }
}
