package io.github.cgscanner.store;

import io.vertx.core.json.JsonObject;

/**
 * A prepared review task of a running scan, as stored for a survivor to resume it: its masked text
 * ({@code payload}, the task's JSON form), where it stands and what it cost so far.
 *
 * @param state {@code pending}, {@code done} or {@code failed}
 * @param usage {@code requests}, {@code promptTokens}, {@code completionTokens}, {@code cachedTokens}
 */
public record StoredTask(String taskId, String state, int attempts, JsonObject payload, JsonObject usage) {}
