package io.github.cgscanner.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** @param next where the next page starts, or null when this is the last */
public record ScanPage(List<JsonObject> scans, ScanQuery.Position next) {}
