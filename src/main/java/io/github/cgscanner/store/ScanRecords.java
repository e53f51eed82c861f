package io.github.cgscanner.store;

import io.github.cgscanner.domain.ScanStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The stored form of a scan: the API Scan plus what only the service needs. */
public final class ScanRecords {
  public static final String OWNER = "owner";
  public static final String COORDINATOR_NODE = "coordinatorNode";
  public static final String LAST_SEQ = "lastSeq";
  /** The fencing token: which take-over of the scan its writer holds (1 for the worker that accepted it). */
  public static final String OWNER_VERSION = "ownerVersion";
  /** The git ref asked for (or none): with {@code project}, which scans are "the latest of a project and ref". */
  public static final String REF = "ref";
  /** The scan's options, for a survivor that resumes it. */
  public static final String OPTIONS = "options";

  private ScanRecords() {}

  public static JsonObject publicView(JsonObject record) {
    JsonObject copy = record.copy();
    copy.remove(OWNER);
    copy.remove(LAST_SEQ);
    copy.remove(COORDINATOR_NODE);
    copy.remove(OWNER_VERSION);
    copy.remove(REF);
    copy.remove(OPTIONS);
    return copy;
  }

  public static boolean isFinal(JsonObject record) {
    return record != null && ScanStatus.isFinal(record.getString("status"));
  }

  public static long lastSeq(JsonObject record) {
    return record.getLong(LAST_SEQ, 0L);
  }

  public static long ownerVersion(JsonObject record) {
    return record.getLong(OWNER_VERSION, 1L);
  }

  /** An ISO-8601 time of the record as epoch milliseconds, or {@code fallback} when absent or unreadable. */
  public static long millis(JsonObject record, String field, long fallback) {
    String value = record.getString(field);
    if (value == null) return fallback;
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
