package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Severity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a worker leaves the cluster, its unfinished scans cannot go on (no resume): every survivor
 * tries to take each of them over with an atomic compare-and-replace of the stored record, and the
 * one that wins marks it {@code failed} ({@code coordinator_lost}), appends {@code status} and
 * {@code done}, and owns it from then on. What was found so far stays in the store. A finished scan
 * whose last events were lost with their coordinator gets them written from its record.
 */
final class CoordinatorLoss {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLoss.class);
  private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");

  private final Vertx vertx;
  private final ScanStore store;
  private final String self;

  CoordinatorLoss(Vertx vertx, ScanStore store, String self) {
    this.vertx = vertx;
    this.store = store;
    this.self = self;
  }

  /** @return the ids of the scans this worker took over */
  Future<List<String>> takeOver(String lostNode) {
    return store.allScans().compose(all -> {
      List<Future<Boolean>> attempts = new ArrayList<>();
      List<Future<Void>> completions = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (JsonObject scan : all) {
        if (lostNode.equals(scan.getString("coordinatorNode")) && FINISHED.contains(scan.getString("status"))) {
          completions.add(completeLog(scan).recover(err -> {
            LOG.warn("scan {}: could not complete its log after the loss of {}: {}", scan.getString("id"), lostNode, err.getMessage());
            return Future.succeededFuture();
          }));
        } else if (lostNode.equals(scan.getString("coordinatorNode"))) {
          ids.add(scan.getString("id"));
          attempts.add(takeOne(scan).recover(err -> {
            LOG.warn("scan {}: take-over after the loss of {} failed: {}", scan.getString("id"), lostNode, err.getMessage());
            return Future.succeededFuture(false);
          }));
        }
      }
      return Future.join(completions).transform(c -> Future.join(attempts)).map(f -> {
        List<String> won = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          if (Boolean.TRUE.equals(f.resultAt(i))) won.add(ids.get(i));
        }
        return won;
      });
    });
  }

  /**
   * A coordinator saves a finished scan's record just before its last two events ({@code status},
   * {@code done}); lost in between, the log would stop short and live readers would wait for ever.
   * Writes what is missing from the record, the same whichever survivor does it.
   */
  private Future<Void> completeLog(JsonObject record) {
    String id = record.getString("id");
    long lastSeq = record.getLong("lastSeq", 0L);
    if (lastSeq < 2) return Future.succeededFuture();
    return store.events(id, lastSeq - 2, lastSeq).compose(tail -> {
      Set<Long> present = new HashSet<>();
      tail.forEach(e -> present.add(e.getLong("seq")));
      return appendEnd(record, present);
    });
  }

  private Future<Boolean> takeOne(JsonObject current) {
    String id = current.getString("id");
    // Events may have been written after the record was last saved: the log, not the record, says where it ends.
    return store.eventsFrom(id, 0).compose(events -> {
      JsonObject replacement = failedRecord(current, events, self, Instant.now());
      return store.replaceIfCoordinator(current, replacement).compose(won -> {
        if (!won) return Future.succeededFuture(false);
        return appendEnd(replacement, Set.of()).map(v -> {
          LOG.warn("scan {}: its coordinator {} left the cluster; marked failed (coordinator_lost) by this worker",
              id, current.getString("coordinatorNode"));
          return true;
        });
      });
    });
  }

  /**
   * Writes a finished record's last two events, {@code status} and {@code done} (sequence numbers
   * {@code lastSeq - 1} and {@code lastSeq}), each stored before it is published, except those already
   * in {@code present}.
   */
  private Future<Void> appendEnd(JsonObject record, Set<Long> present) {
    String id = record.getString("id");
    long lastSeq = record.getLong("lastSeq");
    JsonObject data = ScanStore.publicView(record);
    Future<Void> written = Future.succeededFuture();
    for (long seq = lastSeq - 1; seq <= lastSeq; seq++) {
      if (present.contains(seq)) continue;
      JsonObject event = new JsonObject().put("seq", seq).put("type", seq == lastSeq ? "done" : "status").put("data", data);
      written = written.compose(v -> store.putEvent(id, event.getLong("seq"), event))
          .onSuccess(v -> vertx.eventBus().publish(EventLog.address(id), event));
    }
    return written;
  }

  /**
   * The record of a scan whose coordinator is gone: failed, unresolved files counted as failed, progress
   * and severities brought up to date from the stored events, owned by {@code newOwner}.
   */
  static JsonObject failedRecord(JsonObject current, List<JsonObject> events, String newOwner, Instant now) {
    JsonObject r = current.copy();
    long last = r.getLong("lastSeq", 0L);
    JsonObject progress = r.getJsonObject("progress", new JsonObject()).copy();
    JsonObject bySeverity = new JsonObject();
    for (Severity s : Severity.values()) bySeverity.put(s.wire(), 0);
    for (JsonObject e : events) {
      last = Math.max(last, e.getLong("seq", 0L));
      JsonObject data = e.getJsonObject("data");
      switch (e.getString("type", "")) {
        case "progress" -> progress = data.copy();
        case "finding" -> bySeverity.put(data.getString("severity"), bySeverity.getInteger(data.getString("severity"), 0) + 1);
        default -> { }
      }
    }
    int total = progress.getInteger("filesTotal", 0);
    int resolved = progress.getInteger("filesScanned", 0) + progress.getInteger("filesFailed", 0);
    if (total > resolved) progress.put("filesFailed", total - progress.getInteger("filesScanned", 0));
    boolean anyRequest = r.getJsonObject("usage", new JsonObject()).getLong("requests", 0L) > 0;
    return r.put("status", "failed")
        .put("finishedAt", now.toString())
        .put("progress", progress)
        .put("findingsBySeverity", bySeverity)
        .put("modelReview", r.getString("modelReview") != null ? r.getString("modelReview") : anyRequest ? "partial" : "skipped")
        .put("error", new JsonObject().put("code", "coordinator_lost")
            .put("message", "the worker coordinating this scan left the cluster; the findings reported so far are kept"))
        .put("coordinatorNode", newOwner)
        .put("lastSeq", last + 2);
  }
}
