package io.github.cgscanner.scan;

import io.github.cgscanner.chunk.FileText;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.VerifyMode;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.StoredTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes a scan whose coordinator stopped, once this worker has won its record (see {@link CoordinatorLoss}):
 * from the stored events (where the log goes on, which findings were streamed already) and the stored
 * tasks (which reviews are done, with their findings, and which are still to ask). Reviews done are not
 * asked again; tasks that were pending or in flight go back on the board; findings are given their
 * stable ids again, so one streamed already is not streamed twice. A scan not yet prepared when its
 * coordinator stopped has nothing to resume from: {@link NotResumable}.
 */
final class Resumption {
  private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

  /** The scan cannot go on here; the message says why, for its {@code interrupted} failure. */
  static final class NotResumable extends RuntimeException {
    NotResumable(String message) {
      super(message, null, false, false);
    }
  }

  private final CoordinatorContext context;
  private final ScanStore store;
  private final ScanLifecycle lifecycle;
  private final Verifier verifier;
  private final Answers answers;
  private final TaskJournal journal;

  Resumption(CoordinatorContext context, ScanStore store, ScanLifecycle lifecycle, Verifier verifier, Answers answers, TaskJournal journal) {
    this.context = context;
    this.store = store;
    this.lifecycle = lifecycle;
    this.verifier = verifier;
    this.answers = answers;
    this.journal = journal;
  }

  /** @param record the scan's record as this worker stored it when it won it (its owner version is this worker's) */
  Future<Void> resume(JsonObject record) {
    String id = record.getString("id");
    if (!ScanStatus.SCANNING.wire().equals(record.getString("status"))) {
      return Future.failedFuture(new NotResumable("the worker running this scan stopped while its source was being fetched "
          + "and prepared (a restart or a crash); an uploaded or inline source is not kept, so the scan cannot be resumed; "
          + "the findings reported so far are kept — submit it again"));
    }
    return CoordinatorLoss.readAll(store, id, 0, new ArrayList<>())
        .compose(events -> store.tasks(id).compose(tasks -> prepareTexts(record, tasks)
            .map(texts -> {
              resumeWith(record, events, tasks, texts);
              return null;
            })));
  }

  /** The verification pass shows the model whole files: they are put together again from the tasks' parts. */
  private Future<Texts> prepareTexts(JsonObject record, List<StoredTask> tasks) {
    if (tasks.stream().noneMatch(t -> t.taskId().endsWith(":" + TaskJournal.PREP))) {
      return Future.failedFuture(new NotResumable("the worker running this scan stopped before its review tasks were stored; "
          + "the findings reported so far are kept — submit it again"));
    }
    ScanOptions options = ScanOptions.fromJson(record.getJsonObject(ScanRecords.OPTIONS, new JsonObject()));
    VerifyMode verify = options.verify() != null ? options.verify() : context.identity().verify();
    if (!context.identity().modelExpected() || verify == VerifyMode.OFF) return Future.succeededFuture();
    return context.blocking().executeBlocking(() -> {
      Map<String, TreeMap<Integer, String>> lines = new HashMap<>();
      Map<String, List<ReviewTask.Hint>> hints = new HashMap<>();
      for (StoredTask t : tasks) {
        if (t.taskId().endsWith(":" + TaskJournal.PREP) || TaskJournal.SPLIT.equals(t.state())) continue;
        for (ReviewTask.Part p : ReviewTask.fromJson(t.payload()).parts()) {
          TreeMap<Integer, String> file = lines.computeIfAbsent(p.path(), k -> new TreeMap<>());
          List<String> own = p.lines();
          for (int i = 0; i < own.size(); i++) file.put(p.startLine() + i, own.get(i));
          hints.computeIfAbsent(p.path(), k -> new ArrayList<>()).addAll(p.hints());
        }
      }
      List<FileText> texts = new ArrayList<>();
      lines.forEach((path, byLine) -> {
        StringBuilder text = new StringBuilder();
        for (int n = 1; n <= byLine.lastKey(); n++) text.append(byLine.getOrDefault(n, "")).append('\n');
        texts.add(new FileText(path, text.toString()));
      });
      Path workspace = context.workRoot().newWorkspace();
      return new Texts(workspace, MaskedTexts.write(workspace, texts, hints));
    }, false);
  }

  private record Texts(Path workspace, MaskedTexts masked) {}

  private void resumeWith(JsonObject record, List<ScanEvent> events, List<StoredTask> stored, Texts texts) {
    ScanRun run = ScanRun.resumed(record, context.identity());
    MaskedTexts masked = texts == null ? null : texts.masked();
    if (texts != null) run.workspace(texts.workspace());
    for (ScanEvent e : events) {
      run.seq = Math.max(run.seq, e.seq());
      if (e.type() != ScanEvent.Type.FINDING) continue;
      Finding f = Finding.fromJson(e.data());
      if (run.findings.addLocalFinding(f) != null && f.reported()) run.countFinding(f);
    }
    JsonObject progress = record.getJsonObject("progress", new JsonObject());
    Map<String, Integer> skipped = new HashMap<>();
    record.getJsonObject("skipped", new JsonObject()).forEach(en -> skipped.put(en.getKey(), ((Number) en.getValue()).intValue()));
    run.files.selected(progress.getInteger("filesTotal", 0), skipped);
    run.files.secretsChecked = progress.getInteger("filesSecretsChecked", 0);
    JsonObject estimate = record.getJsonObject("estimate", new JsonObject());
    run.usage.estimateTokens = estimate.getLong("tokens", 0L);
    run.usage.estimateCostUsd = estimate.getDouble("costUsd", 0.0);
    JsonObject usage = record.getJsonObject("usage", new JsonObject());
    run.usage.cachedReviews = usage.getLong("cachedReviews", 0L);
    run.usage.savedCostUsd = usage.getDouble("savedCostUsd", 0.0);
    run.reviewModel = context.pool().planning(run.options.models()).name();
    run.verification.texts(masked);

    TaskBoard board = new TaskBoard(lifecycle.template(run), context.scan().maxAttempts(), context.scan().maxAttempts() * 2);
    List<ReviewTask> pending = new ArrayList<>();
    List<Runnable> replay = new ArrayList<>();
    int lastNo = -1;
    int created = 0;
    for (StoredTask t : stored) {
      spent(run, t);
      if (t.taskId().endsWith(":" + TaskJournal.PREP)) {
        prepared(run, t.payload());
        continue;
      }
      lastNo = Math.max(lastNo, taskNo(t.taskId()));
      created++;
      if (TaskJournal.SPLIT.equals(t.state())) continue;
      // Under this coordinator's template: the stored one names the stopped coordinator's reply address.
      ReviewTask storedTask = ReviewTask.fromJson(t.payload());
      ReviewTask task = board.template().withParts(storedTask.taskId(), storedTask.parts(), storedTask.estimatedTokens());
      run.files.taskOpened(task);
      switch (t.state()) {
        case TaskJournal.DONE -> replay.add(() -> answers.accept(run, task, t.payload().getJsonArray("answer", new JsonArray())));
        case TaskJournal.FAILED -> replay.add(() -> answers.resolve(run, task, t.payload().getString("failure", "model_error")));
        default -> pending.add(task);
      }
    }
    board.continueAfter(lastNo, created);
    run.replaying = true;
    lifecycle.adopt(run, board);
    replay.forEach(Runnable::run);
    pending.forEach(board::add);
    run.replaying = false;
    LOG.info("scan {} resumed: {} review task(s) done before, {} to ask (again), events go on after {}", run.id, replay.size(),
        pending.size(), events.isEmpty() ? 0 : events.get(events.size() - 1).seq());
    lifecycle.opened(run);
  }

  /** What the preparation found besides the tasks: local findings (streamed now unless they were), unreadable and empty files. */
  private void prepared(ScanRun run, JsonObject prep) {
    prep.getJsonObject("unreadable", new JsonObject()).forEach(en -> run.files.failedBeforeReview(en.getKey(), String.valueOf(en.getValue())));
    for (int i = 0; i < prep.getInteger("empty", 0); i++) run.files.scannedWithoutModel();
    for (Object o : prep.getJsonArray("local", new JsonArray())) verifier.local(run, Finding.fromJson((JsonObject) o));
  }

  /** What the stored tasks spent counts against the scan's budgets, priced as its planning model's. */
  private void spent(ScanRun run, StoredTask t) {
    JsonObject u = t.usage() == null ? new JsonObject() : t.usage();
    long prompt = u.getLong("promptTokens", 0L);
    long completion = u.getLong("completionTokens", 0L);
    long cached = u.getLong("cachedTokens", 0L);
    ScannerConfig.Model model = context.pool().planning(run.options.models());
    boolean verification = t.taskId().endsWith(":" + TaskJournal.PREP);
    run.usage.add(new TaskResult.Usage(u.getLong("requests", 0L), prompt, completion, cached, model.costUsd(prompt, cached, completion)),
        verification);
    journal.restore(run, verification ? TaskJournal.PREP : t.taskId(), u);
  }

  private static int taskNo(String taskId) {
    String n = taskId.substring(taskId.lastIndexOf(':') + 1);
    try {
      return Integer.parseInt(n.startsWith("v") ? n.substring(1) : n);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
