package io.github.cgscanner.store;

import io.github.cgscanner.domain.ScanStatus;
import io.vertx.core.json.JsonObject;

/** The stored form of a scan: the API Scan plus what only the service needs. */
public final class ScanRecords {
  public static final String OWNER = "owner";
  public static final String COORDINATOR_NODE = "coordinatorNode";
  public static final String LAST_SEQ = "lastSeq";

  private ScanRecords() {}

  public static JsonObject publicView(JsonObject record) {
    JsonObject copy = record.copy();
    copy.remove(OWNER);
    copy.remove(LAST_SEQ);
    copy.remove(COORDINATOR_NODE);
    return copy;
  }

  public static boolean isFinal(JsonObject record) {
    return record != null && ScanStatus.isFinal(record.getString("status"));
  }

  public static long lastSeq(JsonObject record) {
    return record.getLong(LAST_SEQ, 0L);
  }
}
