package io.github.cgscanner.store;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where scans and their event logs live. A scan's coordinator is its only writer; any worker reads.
 * Records are stored in their internal form: the API Scan plus {@code owner}, {@code coordinatorNode}
 * and {@code lastSeq} (see {@link ScanRecords}).
 */
public interface ScanStore {
  /** Events read per store round trip. */
  int PAGE = 256;

  Future<Void> saveScan(JsonObject record);

  /** @return the record, or null when the scan is unknown (or gone with its retention) */
  Future<JsonObject> scan(String id);

  /** Every record; callers filter by visibility. */
  Future<List<JsonObject>> scans();

  /** Replaces {@code expected} by {@code replacement} only if the stored record still equals {@code expected}. */
  Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement);

  /** Writes events of one scan; a write of an event already stored with the same seq is harmless. */
  Future<Void> appendEvents(String scanId, List<ScanEvent> events);

  /** Up to {@code max} consecutive events after {@code after}; fewer when the log ends there or has a hole. */
  Future<List<ScanEvent>> events(String scanId, long after, int max);

  /** Removes a scan's record and its events. */
  Future<Void> deleteScan(String scanId, long lastSeq);

  /** Removes finished scans past retention and beyond the store's bound; any worker may run it, any time. */
  Future<Integer> sweep();

  /**
   * Every event of a scan up to its record's {@code lastSeq}.
   *
   * @return a failed future with {@link IncompleteLogException} when one is missing: a truncated list
   *     would pass for the whole
   */
  default Future<List<ScanEvent>> allEvents(JsonObject record) {
    String id = record.getString("id");
    long lastSeq = record.getLong("lastSeq", 0L);
    return readFrom(id, 0, lastSeq, new ArrayList<>());
  }

  private Future<List<ScanEvent>> readFrom(String id, long after, long lastSeq, List<ScanEvent> acc) {
    if (after >= lastSeq) return Future.succeededFuture(acc);
    return events(id, after, PAGE).compose(page -> {
      if (page.isEmpty()) return Future.failedFuture(new IncompleteLogException(id, after + 1));
      acc.addAll(page);
      return readFrom(id, page.get(page.size() - 1).seq(), lastSeq, acc);
    });
  }

  /** The findings of a scan, in the order they were found. */
  default Future<List<Finding>> findings(JsonObject record) {
    return allEvents(record).map(events -> events.stream()
        .filter(e -> e.type() == ScanEvent.Type.FINDING)
        .map(e -> Finding.fromJson(e.data()))
        .toList());
  }
}
