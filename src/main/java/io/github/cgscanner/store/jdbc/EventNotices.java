package io.github.cgscanner.store.jdbc;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * Tells the workers that share one PostgreSQL without an event bus between them (Cloud Run instances)
 * that a scan's events were stored: one {@code NOTIFY} in the transaction that writes them, so it is
 * delivered when — and only if — they are committed and readable. The payload is small (the sender, the
 * last sequence number, the scan id), far below PostgreSQL's 8,000-byte limit: listeners read the
 * events themselves from the store. Cancels travel the same way to a coordinator on another worker
 * ({@link #CANCELS}: its node id and the scan id).
 */
public final class EventNotices {
  public static final String CHANNEL = "scanner_events";
  public static final String CANCELS = "scanner_cancels";
  /** Scan ids are UUIDs or short slugs; a longer one is not announced (its readers still poll). */
  static final int MAX_SCAN_ID = 200;

  /** The transaction hook of a store that announces nothing (embedded H2, or workers on an event bus). */
  public static final EventNotices NONE = new EventNotices(null);

  private final String nodeId;

  private EventNotices(String nodeId) {
    this.nodeId = nodeId;
  }

  public static EventNotices from(String nodeId) {
    return new EventNotices(nodeId);
  }

  Future<Void> announce(SqlClient c, String scanId, long lastSeq) {
    if (nodeId == null || scanId.length() > MAX_SCAN_ID) return Future.succeededFuture();
    return c.preparedQuery("SELECT pg_notify(?, ?)").execute(Sql.args(CHANNEL, payload(nodeId, scanId, lastSeq))).mapEmpty();
  }

  static Future<Void> cancel(SqlClient c, String coordinatorNode, String scanId) {
    return c.preparedQuery("SELECT pg_notify(?, ?)").execute(Sql.args(CANCELS, coordinatorNode + " " + scanId)).mapEmpty();
  }

  static String payload(String nodeId, String scanId, long lastSeq) {
    return nodeId + " " + lastSeq + " " + scanId;
  }

  /** A parsed payload; null when it is not one of ours. */
  record Notice(String nodeId, long lastSeq, String scanId) {
    static Notice parse(String payload) {
      String[] parts = payload == null ? new String[0] : payload.split(" ", 3);
      if (parts.length != 3) return null;
      try {
        return new Notice(parts[0], Long.parseLong(parts[1]), parts[2]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
