package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.store.CachedReview;
import io.github.cgscanner.store.ReviewCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verdicts kept in the review cache beside the reviews, under the same scope rules ({@code cache.scope}:
 * a token's verdicts serve only that token's scans unless the cluster shares them) and time to live, so
 * an unchanged re-scan asks the model nothing for its second look either. An entry holds the validated
 * verdict only, never code.
 */
final class CachedVerdicts implements VerdictCache {
  private static final Logger LOG = LoggerFactory.getLogger(CachedVerdicts.class);

  private final ReviewCache cache;
  private final ScannerConfig.Cache settings;

  CachedVerdicts(ReviewCache cache, ScannerConfig.Cache settings) {
    this.cache = cache;
    this.settings = settings;
  }

  private String entry(String owner, String key) {
    return "verdict:" + ReviewKeys.scope(ScannerConfig.Cache.CLUSTER.equals(settings.scope()), owner) + ":" + key;
  }

  @Override
  public Future<Map<String, JsonObject>> lookup(String owner, List<String> keys) {
    if (!settings.enabled() || keys.isEmpty()) return Future.succeededFuture(Map.of());
    List<Future<CachedReview>> gets = new ArrayList<>();
    for (String key : keys) gets.add(cache.get(entry(owner, key)).otherwiseEmpty());
    return Future.join(gets).transform(ar -> {
      Map<String, JsonObject> hits = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        CachedReview r = gets.get(i).succeeded() ? gets.get(i).result() : null;
        if (r != null && r.findings().size() == 1 && r.findings().getValue(0) instanceof JsonObject verdict) {
          hits.put(keys.get(i), verdict);
        }
      }
      return Future.succeededFuture(hits);
    });
  }

  @Override
  public void store(String owner, String key, JsonObject verdict) {
    if (!settings.enabled()) return;
    cache.put(entry(owner, key), new CachedReview(new JsonArray().add(verdict), 0, 0, 0, owner))
        .onFailure(err -> LOG.debug("a verdict could not be cached: {}", err.getMessage()));
  }
}
