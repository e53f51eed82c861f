package io.github.cgscanner.source;

import io.github.cgscanner.config.ScannerConfig;
import java.time.Duration;
import java.util.List;

final class TestPolicy {
  private TestPolicy() {}

  static ScannerConfig.Sources sources(List<String> roots) {
    return new ScannerConfig.Sources(roots, List.of("github.com", "gitlab.com"), 1_000_000, 1 << 20, 100,
        100L << 20, 50L << 20, Duration.ofSeconds(30), 8, 2);
  }

  static ScannerConfig.Sources sources() {
    return sources(List.of());
  }

  static ScannerConfig.Sources withArchiveLimits(int maxEntries, long maxInflated) {
    return new ScannerConfig.Sources(List.of(), List.of("github.com"), 1_000_000, 1 << 20, maxEntries,
        maxInflated, 50L << 20, Duration.ofSeconds(30), 8, 2);
  }

  static ScannerConfig.Sources withMaxRepoBytes(long maxRepoBytes) {
    return new ScannerConfig.Sources(List.of(), List.of("github.com"), 1_000_000, 1 << 20, 100,
        100L << 20, maxRepoBytes, Duration.ofSeconds(30), 8, 2);
  }
}
