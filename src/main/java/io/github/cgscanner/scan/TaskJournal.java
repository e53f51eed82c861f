package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.store.FencedException;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.StoredTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scan's prepared review tasks in a durable store, for whoever resumes it: each task's masked
 * text, its state ({@code pending}, {@code done} with its validated findings, {@code failed} with its
 * reason, {@code split}) and what it has spent so far; one more row ({@link #PREP}) holds what the
 * preparation found besides the tasks (local findings, unreadable and empty files) and what the
 * verification pass spent. Writes of a turn of the event loop go as one batch, in order; every write is
 * fenced by the scan's owner version. Nothing is written with the memory store (a scan there is not resumed).
 */
final class TaskJournal {
  private static final Logger LOG = LoggerFactory.getLogger(TaskJournal.class);
  static final String PREP = "prep";
  static final String PENDING = "pending";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String SPLIT = "split";

  private final Vertx vertx;
  private final ScanStore store;
  private final Consumer<String> onFenced;
  private final EventLog log;
  private final Map<String, Journal> journals = new HashMap<>();

  private static final class Journal {
    Future<Void> tail = Future.succeededFuture();
    List<StoredTask> toSave = new ArrayList<>();
    Map<String, StoredTask> toUpdate = new LinkedHashMap<>();
    final Map<String, long[]> spent = new HashMap<>();
    boolean flushScheduled;
  }

  TaskJournal(Vertx vertx, ScanStore store, EventLog log, Consumer<String> onFenced) {
    this.vertx = vertx;
    this.log = log;
    this.store = store;
    this.onFenced = onFenced;
  }

  boolean active() {
    return store.durable();
  }

  /** The scan's tasks, all pending, and what its preparation found besides them. */
  void prepared(ScanRun run, List<ReviewTask> tasks, List<Finding> local, Map<String, String> unreadable, int emptyFiles) {
    if (!active()) return;
    Journal j = journal(run);
    // The tasks are fenced by the scan's row: they go after the record the event log is writing.
    j.tail = log.whole(run.id).transform(ar -> Future.succeededFuture());
    JsonArray findings = new JsonArray();
    local.forEach(f -> findings.add(f.toJson()));
    j.toSave.add(new StoredTask(run.id + ":" + PREP, DONE, 0, new JsonObject().put("local", findings)
        .put("unreadable", new JsonObject(new HashMap<String, Object>(unreadable))).put("empty", emptyFiles), usage(j, PREP)));
    for (ReviewTask t : tasks) j.toSave.add(new StoredTask(t.taskId(), PENDING, 0, t.toJson(), usage(j, t.taskId())));
    schedule(run, j);
  }

  /** Spent on a task (any outcome); verification requests count on the {@link #PREP} row. */
  void spent(ScanRun run, ReviewTask task, TaskResult.Usage u) {
    if (!active() || u.requests() == 0 && u.promptTokens() == 0 && u.completionTokens() == 0) return;
    Journal j = journal(run);
    String key = task.isVerification() ? PREP : task.taskId();
    long[] s = j.spent.computeIfAbsent(key, k -> new long[4]);
    s[0] += u.requests();
    s[1] += u.promptTokens();
    s[2] += u.completionTokens();
    s[3] += u.cachedTokens();
    String taskId = task.isVerification() ? run.id + ":" + PREP : task.taskId();
    StoredTask queued = j.toUpdate.get(taskId);
    if (queued == null) {
      j.toUpdate.put(taskId, new StoredTask(taskId, task.isVerification() ? DONE : PENDING, (int) s[0], null, usage(j, key)));
    } else {
      j.toUpdate.put(taskId, new StoredTask(taskId, queued.state(), (int) s[0], queued.payload(), usage(j, key)));
    }
    schedule(run, j);
  }

  /** A review answered (or found in the cache): its validated findings are kept with it. */
  void done(ScanRun run, ReviewTask task, Iterable<?> validated) {
    if (!active() || run.replaying) return;
    JsonArray answer = new JsonArray();
    validated.forEach(answer::add);
    resolved(run, task, DONE, task.toJson().put("answer", answer));
  }

  void failed(ScanRun run, ReviewTask task, String reason) {
    if (!active() || run.replaying || task.isVerification()) return;
    resolved(run, task, FAILED, task.toJson().put("failure", reason));
  }

  /** A task cut in two: the halves replace it. */
  void split(ScanRun run, ReviewTask task, List<ReviewTask> halves) {
    if (!active()) return;
    Journal j = journal(run);
    for (ReviewTask half : halves) j.toSave.add(new StoredTask(half.taskId(), PENDING, 0, half.toJson(), usage(j, half.taskId())));
    resolved(run, task, SPLIT, null);
  }

  private void resolved(ScanRun run, ReviewTask task, String state, JsonObject payload) {
    Journal j = journal(run);
    long[] s = j.spent.getOrDefault(task.taskId(), new long[4]);
    j.toUpdate.put(task.taskId(), new StoredTask(task.taskId(), state, (int) s[0], payload, usage(j, task.taskId())));
    schedule(run, j);
  }

  /** Usage found in the store by a resume: what follows adds to it. */
  void restore(ScanRun run, String key, JsonObject usage) {
    if (!active()) return;
    journal(run).spent.put(key, new long[] {usage.getLong("requests", 0L), usage.getLong("promptTokens", 0L),
        usage.getLong("completionTokens", 0L), usage.getLong("cachedTokens", 0L)});
  }

  /** The scan ended: once every write is done, its tasks go (their text is masked code). */
  Future<Void> ended(ScanRun run) {
    Journal j = journals.remove(run.id);
    if (!active()) return Future.succeededFuture();
    Future<Void> before = j == null ? Future.succeededFuture() : flush(run, j);
    return before.transform(ar -> store.deleteTasks(run.id))
        .onFailure(err -> LOG.warn("scan {}: its stored tasks could not be deleted: {}", run.id, err.getMessage()));
  }

  /** Completes when what was journaled so far for the scan is written (or given up). */
  Future<Void> settled(ScanRun run) {
    Journal j = journals.get(run.id);
    if (j == null || !active()) return Future.succeededFuture();
    return flush(run, j);
  }

  /** Writes out what every scan has journaled so far: a worker leaving waits for it. */
  Future<Void> settleAll(RunningScans scans) {
    List<Future<Void>> tails = new ArrayList<>();
    for (ScanRun run : scans.all()) {
      Journal j = journals.get(run.id);
      if (j != null && active()) tails.add(flush(run, j));
    }
    return Future.join(tails).mapEmpty();
  }

  /** The scan was taken over by another worker: nothing more is written for it here. */
  void forget(String scanId) {
    journals.remove(scanId);
  }

  private Journal journal(ScanRun run) {
    return journals.computeIfAbsent(run.id, k -> new Journal());
  }

  private static JsonObject usage(Journal j, String key) {
    long[] s = j.spent.getOrDefault(key, new long[4]);
    return new JsonObject().put("requests", s[0]).put("promptTokens", s[1]).put("completionTokens", s[2]).put("cachedTokens", s[3]);
  }

  private void schedule(ScanRun run, Journal j) {
    if (j.flushScheduled) return;
    j.flushScheduled = true;
    vertx.runOnContext(v -> flush(run, j));
  }

  private Future<Void> flush(ScanRun run, Journal j) {
    j.flushScheduled = false;
    List<StoredTask> save = j.toSave;
    List<StoredTask> update = new ArrayList<>(j.toUpdate.values());
    j.toSave = new ArrayList<>();
    j.toUpdate = new LinkedHashMap<>();
    if (save.isEmpty() && update.isEmpty()) return j.tail;
    long version = run.ownerVersion;
    j.tail = j.tail.transform(ar -> store.saveTasks(run.id, version, save)
        .compose(v -> store.updateTasks(run.id, version, update))
        .recover(err -> {
          if (FencedException.isFencing(err)) {
            onFenced.accept(run.id);
          } else {
            // A resume would ask these tasks again: a cost, not a loss.
            LOG.warn("scan {}: {} task state(s) could not be stored: {}", run.id, save.size() + update.size(), err.getMessage());
          }
          return Future.succeededFuture();
        }));
    return j.tail;
  }
}
