package io.github.cgscanner.scan;

import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.ModelReview;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scan outlives its coordinator: when a worker leaves, every survivor tries to take each of its
 * unfinished scans over with an atomic compare-and-replace of the stored record (which moves its owner
 * version on, fencing the old coordinator), and the one that wins owns it from then on. With a database
 * the winner resumes it ({@link Resumption}), or marks it {@code interrupted} when it cannot be resumed;
 * in the memory store it is marked {@code coordinator_lost}; a failed one gets {@code status} and
 * {@code done} appended. What was found so far stays in the store. A finished scan whose last events were lost with their
 * coordinator gets them written from its record. Runs on every membership event and, because an event
 * can be missed or a take-over fail, periodically over every scan whose coordinator is not a member.
 * With a database it also runs over scans whose coordinator stopped sending heartbeats (a standalone
 * worker, or a whole cluster, that was restarted), and over this worker's own scans that ended while
 * the database was away and whose end could not be written then.
 */
final class CoordinatorLoss {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLoss.class);
  /** Finished scans whose log was already completed: bounded, checked again only after they fall out. */
  private static final int REMEMBERED = 10_000;
  /** Finished scans looked at for a missing end: their coordinator would have written it long before. */
  private static final Duration RECENT = Duration.ofMinutes(10);
  /**
   * A scan this young is never taken for a silent coordinator's: a worker that just started (a new Cloud
   * Run instance) may store its first scan before its first heartbeat is seen.
   */
  private static final Duration YOUNG = Duration.ofSeconds(12);

  private final Vertx vertx;
  private final ScanStore store;
  private final String self;
  private final Set<String> completed = new LinkedHashSet<>();
  /** Scans won by this worker whose resume has not finished yet: this worker's, though not in its memory yet. */
  private final Set<String> resuming = new HashSet<>();
  /** Resumes a scan this worker won (with a database); null with the memory store, where a lost scan fails. */
  private final Function<JsonObject, Future<Void>> resume;

  CoordinatorLoss(Vertx vertx, ScanStore store, String self, Function<JsonObject, Future<Void>> resume) {
    this.vertx = vertx;
    this.store = store;
    this.self = self;
    this.resume = store.durable() ? resume : null;
  }

  /** @return the ids of the scans this worker took over */
  Future<List<String>> takeOver(String lostNode) {
    return takeOverWhere(r -> lostNode.equals(r.getString(ScanRecords.COORDINATOR_NODE)), lostCode());
  }

  /**
   * A leaving peer hands this worker one of its scans: resumed here unless it ended, or another worker
   * has it already. @return whether this worker resumed it
   */
  Future<Boolean> adopt(String scanId) {
    return store.scan(scanId).compose(r -> {
      if (r == null || ScanRecords.isFinal(r) || resume == null) return Future.succeededFuture(false);
      // Asked again after a slow answer: it is this worker's already.
      if (self.equals(r.getString(ScanRecords.COORDINATOR_NODE))) return Future.succeededFuture(true);
      return resumeOne(r);
    });
  }

  /** The periodic pass: scans whose coordinator is not among {@code members}. */
  Future<List<String>> takeOverAbsent(Set<String> members) {
    return takeOverWhere(r -> {
      String node = r.getString(ScanRecords.COORDINATOR_NODE);
      return node != null && !members.contains(node);
    }, lostCode());
  }

  /**
   * With a database: scans whose coordinator is not among the workers that sent a heartbeat lately, and
   * this worker's own that it no longer runs ({@code runsHere} says which it does).
   */
  Future<List<String>> takeOverSilent(Set<String> live, Predicate<String> runsHere) {
    long youngSince = System.currentTimeMillis() - YOUNG.toMillis();
    Future<List<String>> others = takeOverWhere(r -> {
      String node = r.getString(ScanRecords.COORDINATOR_NODE);
      return node != null && !self.equals(node) && !live.contains(node) && ScanRecords.millis(r, "createdAt", 0) < youngSince;
    }, FailureCode.INTERRUPTED);
    // Ended here while the store was away, and left memory with its end unwritten.
    return others.compose(taken -> takeOverWhere(r -> self.equals(r.getString(ScanRecords.COORDINATOR_NODE))
            && !ScanRecords.isFinal(r) && !runsHere.test(r.getString("id")) && !resuming.contains(r.getString("id")),
        FailureCode.STORE_UNAVAILABLE)
        .map(mine -> {
          List<String> all = new ArrayList<>(taken);
          all.addAll(mine);
          return all;
        }));
  }

  private FailureCode lostCode() {
    return store.durable() ? FailureCode.INTERRUPTED : FailureCode.COORDINATOR_LOST;
  }

  private Future<List<String>> takeOverWhere(Predicate<JsonObject> lost, FailureCode code) {
    return store.unfinishedOrRecent(RECENT).compose(all -> {
      List<Future<Boolean>> attempts = new ArrayList<>();
      List<Future<Void>> completions = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (JsonObject scan : all) {
        String id = scan.getString("id");
        if (!lost.test(scan)) continue;
        if (ScanRecords.isFinal(scan)) {
          if (completed.contains(id)) continue;
          completions.add(completeLog(scan).onSuccess(v -> remember(id)).recover(err -> {
            LOG.warn("scan {}: could not complete its log after the loss of its coordinator: {}", id, err.getMessage());
            return Future.succeededFuture();
          }));
        } else {
          ids.add(id);
          attempts.add(takeOne(scan, code).recover(err -> {
            LOG.warn("scan {}: take-over after the loss of its coordinator failed: {}", id, err.getMessage());
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

  private void remember(String id) {
    completed.add(id);
    if (completed.size() > REMEMBERED) completed.remove(completed.iterator().next());
  }

  /**
   * A coordinator saves a finished scan's record just before its last two events ({@code status},
   * {@code done}); lost in between, the log would stop short and live readers would wait for ever.
   * Writes what is missing from the record, the same whichever survivor does it.
   */
  private Future<Void> completeLog(JsonObject record) {
    String id = record.getString("id");
    long lastSeq = ScanRecords.lastSeq(record);
    if (lastSeq < 2) return Future.succeededFuture();
    return store.events(id, lastSeq - 2, 2).compose(tail -> {
      Set<Long> present = new HashSet<>();
      tail.forEach(e -> present.add(e.seq()));
      return appendEnd(record, present);
    });
  }

  private Future<Boolean> takeOne(JsonObject current, FailureCode code) {
    if (resume != null && code == FailureCode.INTERRUPTED) return resumeOne(current);
    return failOne(current, code, message(code));
  }

  /**
   * The compare-and-set on the owner version decides which survivor resumes the scan; from then on the
   * stopped coordinator's writes are refused. A scan that cannot be resumed fails {@code interrupted}.
   */
  private Future<Boolean> resumeOne(JsonObject current) {
    String id = current.getString("id");
    JsonObject mine = current.copy().put(ScanRecords.COORDINATOR_NODE, self);
    if (!resuming.add(id)) return Future.succeededFuture(false);
    return store.replaceScan(current, mine).onComplete(ar -> {
      if (ar.failed() || !ar.result()) resuming.remove(id);
    }).compose(won -> {
      if (!won) return Future.succeededFuture(false);
      LOG.warn("scan {}: its coordinator {} stopped; resumed by this worker", id, current.getString(ScanRecords.COORDINATOR_NODE));
      return resume.apply(mine).onComplete(ar -> resuming.remove(id)).map(true).recover(err -> {
        String why = err instanceof Resumption.NotResumable ? err.getMessage()
            : "the scan could not be resumed (" + err.getMessage() + "); the findings reported so far are kept — submit it again";
        if (!(err instanceof Resumption.NotResumable)) LOG.warn("scan {}: resume failed", id, err);
        return failOne(mine, FailureCode.INTERRUPTED, why);
      });
    });
  }

  private Future<Boolean> failOne(JsonObject current, FailureCode code, String message) {
    String id = current.getString("id");
    // Events may have been written after the record was last saved: the log, not the record, says where it ends.
    return readAll(store, id, 0, new ArrayList<>()).compose(events -> {
      JsonObject replacement = failedRecord(current, events, self, Instant.now(), code, message);
      return store.replaceScan(current, replacement).compose(won -> {
        if (!won) return Future.succeededFuture(false);
        return appendEnd(replacement, Set.of()).map(v -> {
          LOG.warn("scan {}: its coordinator {} is gone; marked failed ({}) by this worker",
              id, current.getString(ScanRecords.COORDINATOR_NODE), code.wire());
          return true;
        });
      });
    });
  }

  static Future<List<ScanEvent>> readAll(ScanStore store, String id, long after, List<ScanEvent> acc) {
    return store.events(id, after, ScanStore.PAGE).compose(page -> {
      acc.addAll(page);
      return page.size() < ScanStore.PAGE ? Future.succeededFuture(acc) : readAll(store, id, page.get(page.size() - 1).seq(), acc);
    });
  }

  /**
   * Writes a finished record's last two events, {@code status} and {@code done} (sequence numbers
   * {@code lastSeq - 1} and {@code lastSeq}), each stored before it is published, except those already
   * in {@code present}.
   */
  private Future<Void> appendEnd(JsonObject record, Set<Long> present) {
    String id = record.getString("id");
    long lastSeq = ScanRecords.lastSeq(record);
    JsonObject data = ScanRecords.publicView(record);
    Future<Void> written = Future.succeededFuture();
    for (long seq = lastSeq - 1; seq <= lastSeq; seq++) {
      if (present.contains(seq)) continue;
      ScanEvent event = new ScanEvent(seq, seq == lastSeq ? ScanEvent.Type.DONE : ScanEvent.Type.STATUS, data);
      written = written.compose(v -> store.appendEvents(id, ScanRecords.ownerVersion(record), List.of(event)))
          .onSuccess(v -> vertx.eventBus().publish(Addresses.scanEvents(id), event.toJson()));
    }
    return written;
  }

  /**
   * The record of a scan whose coordinator is gone: failed, unresolved files counted as failed, progress
   * and severities brought up to date from the stored events, owned by {@code newOwner}.
   */
  static JsonObject failedRecord(JsonObject current, List<ScanEvent> events, String newOwner, Instant now) {
    return failedRecord(current, events, newOwner, now, FailureCode.COORDINATOR_LOST, message(FailureCode.COORDINATOR_LOST));
  }

  private static String message(FailureCode code) {
    return switch (code) {
      case COORDINATOR_LOST -> "the worker coordinating this scan left the cluster; the findings reported so far are kept";
      case STORE_UNAVAILABLE -> "the scan's state could not be written to its store; the findings stored so far are kept";
      default -> "the worker running this scan stopped before it finished (a restart or a crash) and the scan is not "
          + "resumed; the findings reported so far are kept — submit it again";
    };
  }

  static JsonObject failedRecord(JsonObject current, List<ScanEvent> events, String newOwner, Instant now, FailureCode code,
      String message) {
    JsonObject r = current.copy();
    long last = ScanRecords.lastSeq(r);
    JsonObject progress = r.getJsonObject("progress", new JsonObject()).copy();
    JsonObject bySeverity = new JsonObject();
    for (Severity s : Severity.values()) bySeverity.put(s.wire(), 0);
    for (ScanEvent e : events) {
      last = Math.max(last, e.seq());
      switch (e.type()) {
        case PROGRESS -> progress = e.data().copy();
        case FINDING -> bySeverity.put(e.data().getString("severity"), bySeverity.getInteger(e.data().getString("severity"), 0) + 1);
        default -> { }
      }
    }
    int total = progress.getInteger("filesTotal", 0);
    int resolved = progress.getInteger("filesScanned", 0) + progress.getInteger("filesFailed", 0);
    if (total > resolved) progress.put("filesFailed", total - progress.getInteger("filesScanned", 0));
    boolean anyRequest = r.getJsonObject("usage", new JsonObject()).getLong("requests", 0L) > 0;
    String review = r.getString("modelReview") != null ? r.getString("modelReview")
        : (anyRequest ? ModelReview.PARTIAL : ModelReview.SKIPPED).wire();
    return r.put("status", ScanStatus.FAILED.wire())
        .put("finishedAt", now.toString())
        .put("progress", progress)
        .put("findingsBySeverity", bySeverity)
        .put("modelReview", review)
        .put("error", new JsonObject().put("code", code.wire()).put("message", message))
        .put(ScanRecords.COORDINATOR_NODE, newOwner)
        .put(ScanRecords.LAST_SEQ, last + 2);
  }
}
