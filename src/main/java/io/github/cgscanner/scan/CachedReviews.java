package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.llm.ResponseValidator;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.store.CachedReview;
import io.github.cgscanner.store.ReviewCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the review cache. Before a scan's tasks go on its board each is looked up,
 * so a hit costs no request and no key slot: its findings are validated again against the task's own
 * text (an entry that no longer passes is a miss) and answered at once. After a validated model
 * answer, its findings — all of them, before {@code minSeverity} — are stored; nothing else ever is
 * (failed, refused, truncated or rejected answers never reach {@link #store}). Store calls are
 * asynchronous and at most {@value #IN_FLIGHT} lookups of a scan wait at once; keys were hashed off the
 * event loop, in preparation.
 */
final class CachedReviews {
  private static final Logger LOG = LoggerFactory.getLogger(CachedReviews.class);
  static final int IN_FLIGHT = 64;

  private final ReviewCache cache;
  private final ScannerConfig.Cache settings;
  private final ReviewKeys keys;
  private final ScannerConfig.Model model;
  private final Answers answers;
  private final RunEvents events;

  CachedReviews(ReviewCache cache, ScannerConfig.Cache settings, ScannerConfig.Model model, Answers answers, RunEvents events) {
    this.cache = cache;
    this.settings = settings;
    this.model = model;
    this.keys = new ReviewKeys(model.baseUrl());
    this.answers = answers;
    this.events = events;
  }

  /** The scope a scan's keys are made in, or null when the cache is off (then no key is ever made). */
  String scope(ScanRun run) {
    return settings.enabled() ? ReviewKeys.scope(ScannerConfig.Cache.CLUSTER.equals(settings.scope()), run.owner) : null;
  }

  /** Keys for new tasks cut from old ones (the halves of a split), hashed here: they are rare and small. */
  void keyed(ScanRun run, List<ReviewTask> tasks) {
    String scope = scope(run);
    if (scope != null) tasks.forEach(t -> run.reviewKeys.put(t.taskId(), keys.key(scope, run.reviewModel, t)));
  }

  /**
   * Looks every task up: a hit is answered here, a miss goes to {@code miss} (onto the board), and
   * {@code done} runs once all are one or the other. Until then the tasks count as
   * {@link ScanRun#cacheLookups}, so the scan cannot end under them.
   */
  void lookUp(ScanRun run, List<ReviewTask> tasks, Consumer<ReviewTask> miss, Runnable done) {
    run.cacheLookups += tasks.size();
    new Lookup(run, tasks, miss, done).pump();
  }

  private void hit(ScanRun run, ReviewTask task, List<JsonObject> findings, CachedReview review) {
    answers.accept(run, task, findings);
    run.usage.cachedReviews++;
    run.usage.savedCostUsd += model.costUsd(review.promptTokens(), review.cachedTokens(), review.completionTokens());
    events.progressChanged(run, System.currentTimeMillis());
  }

  /** Stores the validated findings of a model answer to {@code task}, in the shape a model answers. */
  void store(ScanRun run, ReviewTask task, TaskResult result) {
    String key = run.reviewKeys.remove(task.taskId());
    if (key == null) return;
    JsonArray answer = new JsonArray();
    for (Object o : result.findings()) answer.add(asAnswered((JsonObject) o));
    TaskResult.Usage u = result.usage();
    cache.put(key, new CachedReview(answer, u.promptTokens(), u.completionTokens(), u.cachedTokens(), run.owner))
        .onFailure(err -> LOG.debug("scan {}: a review could not be cached: {}", run.id, err.getMessage()));
  }

  /**
   * The model's shape of a validated finding, with the evidence as validated (the snippet if there was
   * none): it validates again, and a verification is shown the finding exactly as the first time, so
   * its cached verdict is found.
   */
  private static JsonObject asAnswered(JsonObject f) {
    return new JsonObject().put("path", f.getString("path")).put("startLine", f.getInteger("startLine"))
        .put("endLine", f.getInteger("endLine")).put("cwe", f.getString("cwe")).put("severity", f.getString("severity"))
        .put("confidence", f.getString("confidence")).put("title", f.getString("title"))
        .put("description", f.getString("description")).put("recommendation", f.getString("recommendation"))
        .put("evidence", f.getString("evidence", f.getString("snippet")));
  }

  /** The lookups of one scan, a window at a time; completions may come at once (a local cache) or later. */
  private final class Lookup {
    private final ScanRun run;
    private final List<ReviewTask> tasks;
    private final Consumer<ReviewTask> miss;
    private final Runnable done;
    private int next;
    private int inFlight;
    private boolean pumping;
    private boolean finished;

    Lookup(ScanRun run, List<ReviewTask> tasks, Consumer<ReviewTask> miss, Runnable done) {
      this.run = run;
      this.tasks = tasks;
      this.miss = miss;
      this.done = done;
    }

    void pump() {
      if (pumping) return;
      pumping = true;
      while (inFlight < IN_FLIGHT && next < tasks.size()) {
        ReviewTask task = tasks.get(next++);
        String key = run.reviewKeys.get(task.taskId());
        inFlight++;
        (key == null ? Future.<CachedReview>succeededFuture() : cache.get(key)).onComplete(ar -> {
          inFlight--;
          if (!run.scanningNow()) return;
          run.cacheLookups--;
          CachedReview review = ar.succeeded() ? ar.result() : null;
          if (ar.failed()) LOG.debug("scan {}: review cache lookup failed: {}", run.id, ar.cause().getMessage());
          List<JsonObject> findings = review == null ? null : revalidated(task, review);
          if (findings != null) hit(run, task, findings, review);
          else miss.accept(task);
          pump();
        });
      }
      pumping = false;
      if (!finished && next == tasks.size() && inFlight == 0 && run.scanningNow()) {
        finished = true;
        if (run.usage.cachedReviews > 0) {
          LOG.info("scan {}: {} of {} chunks from the review cache (about ${} saved)", run.id, run.usage.cachedReviews, tasks.size(),
              String.format(Locale.ROOT, "%.4f", run.usage.savedCostUsd));
        }
        done.run();
      }
    }
  }

  /** The cached findings, when every one of them still stands against the task's text; else null. */
  private static List<JsonObject> revalidated(ReviewTask task, CachedReview review) {
    ResponseValidator.Result r = ResponseValidator.validate(task, new JsonObject().put("findings", review.findings()).encode());
    return r.malformed() || r.dropped() > 0 ? null : r.findings();
  }
}
