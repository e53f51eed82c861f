package io.github.cgscanner.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** @param nextAfterSeq where the next page starts, or 0 when this is the last */
public record FindingPage(List<JsonObject> findings, long nextAfterSeq) {}
