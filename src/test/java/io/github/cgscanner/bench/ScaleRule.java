package io.github.cgscanner.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The HorizontalPodAutoscaler's rule for an {@code AverageValue} target, as docker/helm renders it,
 * with its times compressed for a bench of minutes: desired = ceil(waiting ÷ target per replica),
 * clamped to [min, max]; up at once (the bench starts one JVM at a time: a start takes a core here);
 * down only to the highest recommendation of the stabilization window, one replica per period.
 */
final class ScaleRule {
  private final double targetPerReplica;
  private final int min;
  private final int max;
  private final long windowMs;
  private final long periodMs;
  private final Deque<long[]> recommendations = new ArrayDeque<>();
  private long lastScaleDownAt = Long.MIN_VALUE / 2;

  ScaleRule(double targetPerReplica, int min, int max, long windowMs, long periodMs) {
    this.targetPerReplica = targetPerReplica;
    this.min = min;
    this.max = max;
    this.windowMs = windowMs;
    this.periodMs = periodMs;
  }

  int raw(double waiting) {
    return Math.max(min, Math.min(max, (int) Math.ceil(waiting / targetPerReplica - 1e-9)));
  }

  /** The replica count to move to from {@code current}, seeing {@code waiting} at {@code now}. */
  int decide(long now, double waiting, int current) {
    int raw = raw(waiting);
    recommendations.addLast(new long[] {now, raw});
    while (recommendations.peekFirst()[0] < now - windowMs) recommendations.pollFirst();
    if (raw > current) return raw;
    int stabilized = recommendations.stream().mapToInt(r -> (int) r[1]).max().orElse(current);
    if (stabilized >= current || now - lastScaleDownAt < periodMs) return current;
    return current - 1;
  }

  /** A replica was removed at {@code now}: the next may go one period later. */
  void scaledDown(long now) {
    lastScaleDownAt = now;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "desired = ceil(scanner_scans_waiting / %.1f) in [%d, %d]; "
        + "scale-down after a %d s window, one replica per %d s", targetPerReplica, min, max, windowMs / 1000, periodMs / 1000);
  }
}
