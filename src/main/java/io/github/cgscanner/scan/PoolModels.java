package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The providers of this worker's keys, as a scan plans with them. A scan may use the keys of
 * {@code options.models} (every key when empty); its chunks must fit the key with the least room for
 * code among them, and its estimate is priced at the dearest of them, so a mixed pool never makes a
 * chunk too big for one of its keys nor a scan look cheaper than it may be.
 */
final class PoolModels {
  private final ScannerConfig.Model poolWide;
  private final Map<String, ScannerConfig.Model> byAlias;

  PoolModels(ScannerConfig.Model poolWide, Map<String, ScannerConfig.Model> byAlias) {
    this.poolWide = poolWide;
    this.byAlias = byAlias;
  }

  /** Each key's model name, by alias. */
  Map<String, String> modelByAlias() {
    Map<String, String> out = new LinkedHashMap<>();
    byAlias.forEach((alias, m) -> out.put(alias, m.name()));
    return out;
  }

  /** Whether some key of this worker serves one of {@code models} (any key, when empty). */
  boolean serves(List<String> models) {
    return !eligible(models).isEmpty();
  }

  /** The models a scan restricted to {@code models} is reviewed by, as the Scan shows them. */
  String describe(List<String> models) {
    List<ScannerConfig.Model> eligible = eligible(models);
    if (eligible.isEmpty()) return models.isEmpty() ? poolWide.name() : String.join(",", models);
    LinkedHashSet<String> names = new LinkedHashSet<>();
    eligible.forEach(m -> names.add(m.name()));
    return String.join(",", names);
  }

  /** The distinct models of this worker's keys, for a message. */
  String served() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    byAlias.values().forEach(m -> names.add(m.name()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** The model a scan's chunks and estimate are planned for: the tightest context, the dearest prices. */
  ScannerConfig.Model planning(List<String> models) {
    List<ScannerConfig.Model> eligible = eligible(models);
    if (eligible.isEmpty()) return poolWide;
    ScannerConfig.Model tightest = eligible.stream()
        .min(Comparator.comparingInt(m -> m.contextTokens() - m.maxCompletionTokens())).orElseThrow();
    ScannerConfig.Model dearest = eligible.stream()
        .max(Comparator.comparingDouble(m -> m.costUsd(1_000_000, 0, 1_000_000))).orElseThrow();
    return new ScannerConfig.Model(dearest.baseUrl(), dearest.name(), dearest.authStyle(), dearest.apiVersion(),
        tightest.contextTokens(), tightest.maxCompletionTokens(), poolWide.maxChunkTokens(), poolWide.requestTimeout(),
        poolWide.tokenAccounting(), dearest.prices());
  }

  private List<ScannerConfig.Model> eligible(List<String> models) {
    List<ScannerConfig.Model> out = new ArrayList<>();
    for (ScannerConfig.Model m : byAlias.values()) {
      if (models.isEmpty() || models.contains(m.name())) out.add(m);
    }
    return out;
  }
}
