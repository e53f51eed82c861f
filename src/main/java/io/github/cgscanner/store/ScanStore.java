package io.github.cgscanner.store;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where scans, their event logs, findings and prepared tasks live. A scan's coordinator is its only
 * writer; any worker reads. Records are stored in their internal form: the API Scan plus {@code owner},
 * {@code coordinatorNode}, {@code ownerVersion}, {@code ref} and {@code lastSeq} (see {@link ScanRecords}).
 *
 * <p>Ownership is fenced: a record is saved only while the stored {@code ownerVersion} is the one it
 * carries, and {@link #replaceScan} (a take-over) moves the version on, so a coordinator that lost its
 * scan cannot write it any more ({@link FencedException}).
 */
public interface ScanStore {
  /** Events read per store round trip: a replay of a big scan is a few round trips, not hundreds. */
  int PAGE = 1000;

  /** Whether what is stored survives a restart of every worker (a database, not memory). */
  boolean durable();

  /** Saves a record: inserts a new scan, or updates one whose stored {@code ownerVersion} matches. */
  Future<Void> saveScan(JsonObject record);

  /** @return the record, or null when the scan is unknown (or gone with its retention) */
  Future<JsonObject> scan(String id);

  /** A page of records, newest first, as {@code query} filters them. */
  Future<ScanPage> listScans(ScanQuery query);

  /**
   * Records that may need a survivor: every unfinished scan, and finished ones whose end is at most
   * {@code recent} ago (their last events may have been lost with their coordinator).
   */
  Future<List<JsonObject>> unfinishedOrRecent(Duration recent);

  /**
   * Replaces {@code expected} by {@code replacement} only if the stored scan is still as {@code expected}
   * says (same owner version, status and last sequence number); the replacement gets the next owner version.
   */
  Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement);

  /** Writes events of one scan; a write of an event already stored with the same seq is harmless. */
  Future<Void> appendEvents(String scanId, List<ScanEvent> events);

  /**
   * {@link #appendEvents(String, List)} by the scan's writer: only while the stored owner version is
   * {@code ownerVersion}, else a failed future with {@link FencedException} (the scan was taken over).
   */
  Future<Void> appendEvents(String scanId, long ownerVersion, List<ScanEvent> events);

  /** Up to {@code max} consecutive events after {@code after}; fewer when the log ends there or has a hole. */
  Future<List<ScanEvent>> events(String scanId, long after, int max);

  /** A page of a scan's findings in the order they were found, as {@code query} filters them. */
  Future<FindingPage> findingsPage(String scanId, FindingQuery query);

  /** Removes a scan's record, its events, findings and tasks. */
  Future<Void> deleteScan(String scanId, long lastSeq);

  /** Removes finished scans past retention (and beyond the store's bound); any worker may run it, any time. */
  Future<Integer> sweep();

  /** Says this worker is alive, for {@link #liveNodes}. */
  Future<Void> heartbeat(String nodeId);

  /** This worker stops saying it is alive: its unfinished scans may be resumed by another at once. */
  Future<Void> leave(String nodeId);

  /** Workers that said they were alive within {@code within}. */
  Future<Set<String>> liveNodes(Duration within);

  /** The secret that signs page cursors, the same for every worker of the store. */
  Future<byte[]> cursorKey();

  /** Completes when the store answers. */
  Future<Void> ping();

  /** Stores the prepared tasks of a running scan (masked text), fenced by its owner version. */
  Future<Void> saveTasks(String scanId, long ownerVersion, List<StoredTask> tasks);

  /** Records each task's state, attempts and usage, fenced by the scan's owner version. */
  Future<Void> updateTasks(String scanId, long ownerVersion, List<StoredTask> tasks);

  Future<List<StoredTask>> tasks(String scanId);

  /** Deletes a scan's prepared tasks (their text is masked code: it goes when the scan ends). */
  Future<Void> deleteTasks(String scanId);

  Future<Void> close();

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

  /** The findings of a scan, in the order they were found, checked whole against its record. */
  default Future<List<Finding>> findings(JsonObject record) {
    return allEvents(record).map(events -> events.stream()
        .filter(e -> e.type() == ScanEvent.Type.FINDING)
        .map(e -> Finding.fromJson(e.data()))
        .toList());
  }
}
