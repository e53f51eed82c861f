package io.github.cgscanner.scan;

import io.github.cgscanner.chunk.Chunker;
import io.github.cgscanner.chunk.TokenCounter;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.domain.Verification;
import io.github.cgscanner.llm.VerificationPrompt;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the verification pass. A model finding the scan's mode covers is held from
 * its review until its file has been reviewed whole; then one request per file (several for a long
 * file, or for many findings) shows the model the whole masked file and the findings, and each finding
 * is streamed once, with its verdict: rejected findings are kept apart, the others reported, a lowered
 * severity applied. A request that fails leaves its findings reported as {@code uncertain} (fail closed).
 *
 * <p>Verification requests go ahead of the scan's waiting review requests: the scan's work is the same
 * in any order, so this does not make it end later, while every request left waiting is a finding shown
 * late, and a file's text read for nothing while it waits. Confined to the coordinator's event loop; the
 * file is read and cut on the blocking pool.
 */
final class Verifier {
  private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

  private final WorkerExecutor blocking;
  private final ScannerConfig.Model model;
  private final RunEvents events;
  private final WorkNotifier notifier;
  private final VerdictCache cache;

  Verifier(CoordinatorContext c, RunEvents events, WorkNotifier notifier, VerdictCache cache) {
    this.blocking = c.blocking();
    this.model = c.model();
    this.events = events;
    this.notifier = notifier;
    this.cache = cache;
  }

  /**
   * A finding of the local checks: reported at once, except a rule finding of a file the model reviews,
   * which waits for its file's review (if a verified model finding says the same, it takes its verdict).
   */
  void local(ScanRun run, Finding f) {
    if (run.findings.addLocalFinding(f) == null) return;
    MaskedTexts texts = run.verification.texts();
    if (run.verification.active() && "rules".equals(f.source()) && texts != null && texts.has(f.path())) {
      run.verification.holdRule(f);
    } else {
      emit(run, f);
    }
  }

  /** A validated review finding: reported at once, or held for verification. */
  void reviewed(ScanRun run, JsonObject raw, ReviewTask.Part part) {
    Severity severity = Severity.parse(raw.getString("severity"));
    if (severity == null || !severity.atLeast(run.options.minSeverity())) return;
    String evidence = raw.getString("evidence", "");
    Finding f = run.findings.addModelFinding(raw, part);
    if (f == null) return;
    if (run.verification.covers(f)) {
      run.verification.hold(f, evidence);
    } else {
      emit(run, f);
    }
  }

  /**
   * Every review task of {@code path} is resolved: its held findings go to verification. The requests
   * are built on the blocking pool; {@code whenBuilt} runs once they are queued (only if a build started).
   */
  void fileReviewed(ScanRun run, String path, Runnable whenBuilt) {
    RunVerification.Reviewed reviewed = run.verification.fileReviewed(path);
    reviewed.rulesAlone().forEach(f -> emit(run, f));
    List<RunVerification.Held> held = reviewed.toVerify();
    if (held.isEmpty()) return;
    RunVerification verification = run.verification;
    MaskedTexts texts = verification.texts();
    verification.buildStarted();
    List<ReviewTask.VerifyItem> items = held.stream().map(Verifier::item).toList();
    String instructions = run.options.instructions();
    blocking.executeBlocking(() -> plan(texts, path, items, instructions), false)
        .compose(built -> cache.lookup(run.owner, List.copyOf(built.keys().values())).map(hits -> queue(run, built, hits)))
        .onComplete(ar -> {
          verification.buildEnded();
          if (ar.failed()) {
            LOG.warn("scan {}: the verification of {} could not be prepared: {}", run.id, path, ar.cause().toString());
            if (run.scanningNow()) items.forEach(i -> fail(run, verification.answer(i.id()), "unreadable"));
          }
          whenBuilt.run();
        });
  }

  private record Built(VerificationWindows.Plan plan, Map<String, String> keys) {}

  /** Blocking: reads the file, counts it, cuts it into requests. */
  private Built plan(MaskedTexts texts, String path, List<ReviewTask.VerifyItem> items, String instructions) throws Exception {
    String text = texts == null ? null : texts.text(path);
    if (text == null) throw new IllegalStateException("the masked text of " + path + " was not kept");
    int budget = Chunker.budgetFor(model.contextTokens(), model.maxCompletionTokens(), VerificationPrompt.fixedPromptTokens(instructions));
    VerificationWindows.Plan plan = VerificationWindows.plan(path, text, texts.hints(path), items, budget, TokenCounter.shared());
    Map<String, String> keys = new HashMap<>();
    for (ReviewTask.VerifyItem item : items) keys.put(item.id(), VerdictCache.key(text, item, model.name(), instructions));
    return new Built(plan, keys);
  }

  /** On the event loop: cached verdicts applied, the rest queued ahead of the scan's waiting reviews. */
  private Void queue(ScanRun run, Built built, Map<String, JsonObject> hits) {
    if (!run.scanningNow()) return null;
    run.verification.cacheKeys(built.keys());
    for (ReviewTask.VerifyItem item : built.plan().tooLong()) fail(run, run.verification.answer(item.id()), "too_long");
    boolean queued = false;
    for (VerificationWindows.Window w : built.plan().windows()) {
      List<ReviewTask.VerifyItem> ask = new ArrayList<>();
      for (ReviewTask.VerifyItem item : w.items()) {
        JsonObject hit = hits.get(built.keys().get(item.id()));
        if (hit != null) apply(run, run.verification.answer(item.id()), hit);
        else ask.add(item);
      }
      if (ask.isEmpty()) continue;
      ReviewTask task = run.tasks().newVerification(w.parts(), ask, w.tokens());
      run.tasks().addAhead(task);
      queued = true;
    }
    if (queued) notifier.workAvailable(run);
    return null;
  }

  /** A verification answered: each finding it asked about gets its verdict, or is reported unverified. */
  void answered(ScanRun run, ReviewTask task, TaskResult r) {
    Map<String, JsonObject> verdicts = new HashMap<>();
    r.verdicts().forEach(o -> verdicts.put(((JsonObject) o).getString("id"), (JsonObject) o));
    for (ReviewTask.VerifyItem item : task.verify()) {
      String key = run.verification.cacheKey(item.id());
      RunVerification.Held h = run.verification.answer(item.id());
      if (h == null) continue;
      JsonObject v = verdicts.get(item.id());
      if (v == null) {
        fail(run, h, "not_answered");
      } else {
        if (key != null) cache.store(run.owner, key, v);
        apply(run, h, v);
      }
    }
  }

  /** A verification given up (attempts spent, refused, cut short): its findings are reported unverified. */
  void failed(ScanRun run, ReviewTask task, String reason) {
    for (ReviewTask.VerifyItem item : task.verify()) fail(run, run.verification.answer(item.id()), reason);
  }

  /** The scan ends: findings still waiting are reported unverified, so none is lost. */
  void flush(ScanRun run, String reason) {
    RunVerification.Reviewed left = run.verification.takeAll();
    left.rulesAlone().forEach(f -> emit(run, f));
    if (!left.toVerify().isEmpty()) {
      LOG.info("scan {}: {} finding(s) reported unverified as the scan ended ({})", run.id, left.toVerify().size(), reason);
    }
    for (RunVerification.Held h : left.toVerify()) fail(run, h, reason);
  }

  private void apply(ScanRun run, RunVerification.Held h, JsonObject v) {
    Verification verification = new Verification(Verification.Verdict.parse(v.getString("verdict")), v.getInteger("confidence"),
        v.getString("justification"), run.model, null, null);
    Severity suggested = Severity.parse(v.getString("severity"));
    emitVerified(run, h.finding().verified(verification, suggested));
    for (Finding rule : h.companions()) emitVerified(run, rule.verified(verification, suggested));
  }

  private void emitVerified(ScanRun run, Finding f) {
    run.verification.counted(f);
    // A severity lowered below what the scan reports leaves the finding out, as if the review had said so.
    if (f.reported() && !f.severity().atLeast(run.options.minSeverity())) return;
    emit(run, f);
  }

  private void fail(ScanRun run, RunVerification.Held h, String reason) {
    if (h == null) return;
    Verification failed = Verification.failed(run.model, reason, "Not verified (" + reason + "): the finding is reported as found.");
    for (Finding f : concat(h.finding(), h.companions())) {
      run.verification.countedFailure();
      emit(run, f.verified(failed, null));
    }
  }

  private static List<Finding> concat(Finding first, List<Finding> rest) {
    List<Finding> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private void emit(ScanRun run, Finding f) {
    if (f.reported()) run.countFinding(f);
    events.finding(run, f);
  }

  private static ReviewTask.VerifyItem item(RunVerification.Held h) {
    Finding f = h.finding();
    return new ReviewTask.VerifyItem(f.id(), f.path(), f.startLine(), f.endLine(), f.title(), h.evidence());
  }
}
