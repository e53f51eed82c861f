package io.github.cgscanner.scan;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CancelScan;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.LeaseRequest;
import io.github.cgscanner.protocol.Load;
import io.github.cgscanner.protocol.MemberLeft;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.protocol.TaskResult;
import io.github.cgscanner.protocol.WorkAvailable;
import io.github.cgscanner.source.WorkRoot;
import io.github.cgscanner.store.ReviewCache;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Coordinates the scans submitted to this worker: the only writer of their state. Wires the parts; they do the work. */
public class ScanCoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScanCoordinatorVerticle.class);
  private static final int GONE_REMEMBERED = 1_000;
  private static final long SILENT_CHECK_MS = 5_000;
  /** A worker silent this long has stopped: several heartbeats missed, well past a GC pause. */
  private static final java.time.Duration SILENT_AFTER = java.time.Duration.ofSeconds(12);

  /** The coordinator's slice of the configuration; {@code keyProviders}: each key's provider by alias, never the key. */
  public record Settings(String nodeId, ScannerConfig.Sources sources, ScannerConfig.Scan scan, ScannerConfig.Model model,
      ScannerConfig.Review review, ScannerConfig.Cache cache, Map<String, ScannerConfig.Model> keyProviders,
      java.time.Duration maxOutage) {}

  private final Settings settings;
  private final ScanStore store;
  private final ReviewCache reviewCache;
  private final WorkRoot workRoot;
  private final Set<String> gone = new LinkedHashSet<>();
  private WorkerExecutor blocking;
  private ScanLifecycle lifecycle;

  public ScanCoordinatorVerticle(Settings settings, ScanStore store, ReviewCache reviewCache, WorkRoot workRoot) {
    this.settings = settings;
    this.store = store;
    this.reviewCache = reviewCache;
    this.workRoot = workRoot;
  }

  @Override
  public Future<?> start() {
    String nodeId = settings.nodeId();
    // Twice the cores: preparation is partly disk work, and a small scan's should not wait for two big ones.
    blocking = vertx.createSharedWorkerExecutor(Addresses.BLOCKING_POOL, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    PoolModels pool = new PoolModels(settings.model(), settings.keyProviders());
    CoordinatorContext context = new CoordinatorContext(nodeId, settings.sources(), settings.scan(), settings.model(), pool,
        new ScanRun.Identity(settings.model().name(), io.github.cgscanner.llm.PromptBuilder.PROMPT_VERSION, nodeId,
            !settings.keyProviders().isEmpty(), settings.review().verify()),
        blocking, workRoot);
    KeyStates keys = new KeyStates(pool.modelByAlias());
    RunningScans scans = new RunningScans();
    WorkNotifier notifier = run -> {
      // The scan's models travel with the news, so dispatchers offer its tasks only to keys that may send them.
      JsonObject work = new WorkAvailable(run.id, nodeId, run.options.models()).toJson();
      for (String worker : run.sharing.workers) {
        if (!gone.contains(worker)) vertx.eventBus().send(Addresses.work(worker), work);
      }
    };
    EventLog log = new EventLog(vertx, store, settings.maxOutage(), id -> lifecycle.storeFailed(id), id -> lifecycle.relinquish(id));
    RunEvents events = new RunEvents(log);
    TaskJournal journal = new TaskJournal(vertx, store, log, id -> lifecycle.relinquish(id));
    Recruiter recruiter = new Recruiter(settings.scan(), vertx.isClustered(), nodeId, new LoadRegistry(vertx), events, notifier);
    Verifier verifier = new Verifier(context, events, notifier, new CachedVerdicts(reviewCache, settings.cache()));
    Answers answers = new Answers(verifier, run -> lifecycle.settle(run), journal);
    CachedReviews reviews = new CachedReviews(reviewCache, settings.cache(), settings.model(), answers, events);
    lifecycle = new ScanLifecycle(context, scans, events, keys, notifier, recruiter, verifier, reviews, journal);
    ScanWork work = new ScanWork(vertx, context, scans, keys, notifier, lifecycle, reviews, answers, journal);
    Resumption resumption = new Resumption(context, store, lifecycle, verifier, answers, journal);
    CoordinatorLoss loss = new CoordinatorLoss(vertx, store, nodeId, resumption::resume);

    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.keyStates(nodeId), m -> keys.update(KeyState.fromJson(m.body())));
    bus.<JsonObject>localConsumer(Addresses.MEMBERSHIP, m -> memberLeft(MemberLeft.fromJson(m.body()).nodeId(), loss, work));
    vertx.setPeriodic(500, t -> {
      long now = System.currentTimeMillis();
      lifecycle.tick(now);
      work.reclaim(now, gone);
    });
    vertx.setPeriodic(10_000, t -> store.sweep().onFailure(err -> LOG.warn("the scan store sweep failed: {}", err.getMessage())));
    if (vertx.isClustered()) vertx.setPeriodic(30_000, t -> takeOverAbsent(loss));
    Future<Void> present = Future.succeededFuture();
    if (store.durable()) {
      present = new Presence(vertx, nodeId, store, scans, lifecycle, log, journal).start(loss);
      watchSilence(loss);
    }
    return Future.all(java.util.List.of(present,
        bus.<JsonObject>consumer(Addresses.submit(nodeId), m -> reply(m, () -> lifecycle.submit(SubmitScan.fromJson(m.body())))).completion(),
        bus.<JsonObject>consumer(Addresses.cancel(nodeId), m -> reply(m, () -> cancel(CancelScan.fromJson(m.body()).scanId()))).completion(),
        bus.<JsonObject>consumer(Addresses.lease(nodeId), m -> handle(m, b -> work.lease(LeaseRequest.fromJson(b)).toJson())).completion(),
        bus.<JsonObject>consumer(Addresses.release(nodeId), m -> work.release(LeaseRelease.fromJson(m.body()))).completion(),
        bus.<JsonObject>consumer(Addresses.results(nodeId), m -> work.onResult(TaskResult.fromJson(m.body()))).completion(),
        bus.<JsonObject>localConsumer(Addresses.load(nodeId), m -> m.reply(load(scans).toJson())).completion()));
  }

  private Load load(RunningScans scans) {
    Admission a = lifecycle.admission();
    int backlog = 0;
    for (ScanRun run : scans.all()) {
      if (run.scanningNow()) backlog += run.tasks().pendingCount();
    }
    return new Load(a.running(), a.queued(), backlog);
  }

  /** Leases its keys held go back to the queue at once; scans it coordinated are failed by one survivor. */
  private void memberLeft(String lost, CoordinatorLoss loss, ScanWork work) {
    if (lost == null || lost.equals(settings.nodeId())) return;
    gone.add(lost);
    if (gone.size() > GONE_REMEMBERED) gone.remove(gone.iterator().next());
    work.reclaim(System.currentTimeMillis(), gone);
    loss.takeOver(lost)
        .onSuccess(ids -> {
          if (!ids.isEmpty()) LOG.warn("took over {} scan(s) of the lost worker {}: {}", ids.size(), lost, ids);
        })
        .onFailure(err -> LOG.warn("could not look for the scans of the lost worker {}: {}", lost, err.getMessage()));
  }

  /** A membership event can be missed and a take-over fail: the scans of absent coordinators are looked for again. */
  private void takeOverAbsent(CoordinatorLoss loss) {
    Object members = vertx.sharedData().getLocalMap(Addresses.NODE_MAP).get("members");
    if (!(members instanceof JsonArray list) || list.isEmpty()) return;
    Set<String> present = new HashSet<>();
    list.forEach(n -> present.add(String.valueOf(n)));
    loss.takeOverAbsent(present)
        .onSuccess(ids -> {
          if (!ids.isEmpty()) LOG.warn("took over {} scan(s) whose coordinator is no longer a member: {}", ids.size(), ids);
        })
        .onFailure(err -> LOG.warn("could not look for scans of absent coordinators: {}", err.getMessage()));
  }

  /**
   * With a database, a worker that stopped (restarted, crashed, or a whole cluster restarted) leaves
   * its unfinished scans behind with no member event to tell: workers say they are alive in the store
   * ({@link Presence}), and the scans of one that stopped saying so are resumed by whoever wins them first.
   */
  private void watchSilence(CoordinatorLoss loss) {
    vertx.setPeriodic(Presence.HEARTBEAT_MS, SILENT_CHECK_MS, t -> store.liveNodes(SILENT_AFTER)
        .compose(live -> loss.takeOverSilent(live, lifecycle::isKnown))
        .onSuccess(ids -> {
          if (!ids.isEmpty()) LOG.warn("took over {} scan(s) of stopped workers: {}", ids.size(), ids);
        })
        .onFailure(err -> LOG.debug("could not look for scans of stopped workers: {}", err.getMessage())));
  }

  /** A scan that left memory is known only to the store, and it has finished. */
  private Future<JsonObject> cancel(String scanId) {
    if (lifecycle.isKnown(scanId)) return lifecycle.cancel(scanId);
    return store.scan(scanId).compose(s -> Future.failedFuture(s == null
        ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "not found")
        : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, s.getString("status"))));
  }

  private static void handle(Message<JsonObject> message, Function<JsonObject, JsonObject> handler) {
    try {
      message.reply(handler.apply(message.body()));
    } catch (RuntimeException e) {
      LOG.warn("coordinator could not handle a request on {}", message.address(), e);
      message.fail(500, "internal error");
    }
  }

  /** One terminal path for a request: a malformed one is 400, anything unexpected 500, never no answer. */
  private static void reply(Message<JsonObject> message, java.util.function.Supplier<Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(message::reply).onFailure(err -> {
      if (err instanceof ReplyException re) message.fail(re.failureCode(), re.getMessage());
      else if (err instanceof IllegalArgumentException) message.fail(400, err.getMessage());
      else {
        LOG.warn("coordinator could not handle a request on {}", message.address(), err);
        message.fail(500, "internal error");
      }
    });
  }

  @Override
  public Future<?> stop() {
    return blocking == null ? Future.succeededFuture() : blocking.close();
  }
}
