package io.github.cgscanner.llm;

import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The budget a key draws from, and its name across the cluster: {@code key:<hash>} for a key alone,
 * {@code group:<name>:<hash of its keys' hashes>} for a group of {@code keys.limits}, so two workers
 * name a budget alike exactly when they hold the same keys (never by alias: aliases are per worker).
 */
public final class BudgetIds {
  private BudgetIds() {}

  /**
   * A worker alone keeps today's budgets (one {@link SharedBudget} per key or group, in this JVM); a
   * clustered one a {@link BudgetSlice} of the cluster-wide budget, renewed by the {@link BudgetVerticle};
   * one that shares its keys through a database instead ({@link LeasedBudget#share}) a {@link LeasedBudget}.
   */
  public static Budget budgetFor(Vertx vertx, JsonObject limitsConfig, String alias, String clusterName, long now) {
    KeyScheduler.Limits limits = KeyScheduler.limitsFor(limitsConfig, alias);
    if (!vertx.isClustered()) {
      LeasedBudget.Source shared = LeasedBudget.sourceOf(vertx);
      if (shared != null) {
        LocalMap<String, LeasedBudget> leased = vertx.sharedData().getLocalMap(LeasedBudget.MAP);
        return leased.computeIfAbsent(clusterName, n -> new LeasedBudget(clusterName, limits.rpm(), limits.tpm(), shared, System::currentTimeMillis));
      }
      LocalMap<String, SharedBudget> budgets = vertx.sharedData().getLocalMap(Addresses.BUDGETS_MAP);
      return budgets.computeIfAbsent(limits.budgetName(), n -> new SharedBudget(limits.rpm(), limits.tpm(), now));
    }
    String id = clusterName;
    LocalMap<String, BudgetSlice> slices = vertx.sharedData().getLocalMap(BudgetSlice.MAP);
    return slices.computeIfAbsent(id, n -> new BudgetSlice(id, limits.rpm(), limits.tpm(), now));
  }

  /** The cluster-wide name of the budget {@code key} draws from: it needs every key of its group, so the node computes it. */
  public static String clusterName(ScannerConfig.Keys keys, ApiKey key) {
    JsonArray groups = keys.limits().getJsonArray("groups", new JsonArray());
    for (int i = 0; i < groups.size(); i++) {
      JsonObject g = groups.getJsonObject(i);
      JsonArray aliases = g.getJsonArray("keys", new JsonArray());
      if (!aliases.contains(key.alias())) continue;
      List<String> hashes = new ArrayList<>();
      for (ApiKey k : keys.apiKeys()) {
        if (aliases.contains(k.alias())) hashes.add(k.hash());
      }
      hashes.sort(null);
      return "group:" + g.getString("name", "group-" + i) + ":" + digest(String.join(",", hashes));
    }
    return "key:" + key.hash();
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
