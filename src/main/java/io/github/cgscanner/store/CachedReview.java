package io.github.cgscanner.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One cached review: the validated findings of a chunk, as the model's answer shapes them (so a hit is
 * validated again against the text it is used for), and what the review cost, so a hit can say what it
 * saved. {@code owner} is kept for purges, never in the key's clear text.
 */
public record CachedReview(JsonArray findings, long promptTokens, long completionTokens, long cachedTokens, String owner) {

  public JsonObject toJson() {
    return new JsonObject().put("findings", findings).put("promptTokens", promptTokens)
        .put("completionTokens", completionTokens).put("cachedTokens", cachedTokens).put("owner", owner);
  }

  /** @return the review, or null when {@code j} is not one (an entry written by another version) */
  public static CachedReview fromJson(JsonObject j) {
    if (j == null || !(j.getValue("findings") instanceof JsonArray findings)) return null;
    return new CachedReview(findings, j.getLong("promptTokens", 0L), j.getLong("completionTokens", 0L),
        j.getLong("cachedTokens", 0L), j.getString("owner"));
  }
}
