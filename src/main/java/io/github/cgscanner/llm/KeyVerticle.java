package io.github.cgscanner.llm;

import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CallReport;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.KeyState;
import io.github.cgscanner.protocol.Pull;
import io.github.cgscanner.protocol.PullReply;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API key: pulls review tasks from the local dispatcher as its scheduler allows, sends them to its
 * own provider (endpoint, model, dialect), validates the answers and reports results to each task's
 * coordinator. It holds only its own key. A pulled task is sent at most once (once more in the fallback
 * shape when its endpoint refused the strict one), and only within its lease's hold time; one it cannot
 * send in time, or of a scan its model may not serve, goes back to its coordinator unsent.
 */
public final class KeyVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KeyVerticle.class);
  private static final long PULL_RETRY_MS = 200;
  private static final long IDLE_PULL_PAUSE_MS = 20;
  /** A key whose endpoint refused the model is tried again after this long (a deployment being created, a typo fixed). */
  static final long MODEL_RETRY_MS = 5 * 60_000;

  /**
   * The key verticle's slice of the configuration: its own key and how to use it; {@code model} is its
   * own provider ({@code keys.providers}, the {@code _N} variables, else the pool-wide model).
   * {@code clusterBudget} names the cluster-wide budget it draws from when clustered (see
   * {@link BudgetIds#clusterName}).
   */
  public record Settings(String nodeId, ApiKey key, ScannerConfig.Model model, JsonObject limits, int maxInFlight,
      String clusterBudget) {}

  /** A pulled task with its request body ready (in the strict shape or not), waiting for the budget until {@code sendBy}. */
  private record Prepared(ReviewTask task, Buffer body, boolean schemaInPrompt, long cost, long sendBy) {}

  private final Settings settings;
  private final String nodeId;
  private final String alias;
  private final KeyStats stats;
  private final TaskResults results;
  private final ArrayDeque<Prepared> pending = new ArrayDeque<>();
  private WebClient web;
  private ChatClient chat;
  private PromptBuilder prompts;
  /** Its endpoint refused the strict request shape: the schema goes in the prompt (see {@link RequestShape}). */
  private boolean schemaInPrompt;
  private KeyScheduler scheduler;
  private CoordinatorClient coordinators;
  private boolean pulling;
  /** The worker is shutting down: nothing more is pulled, and what waits unsent goes back to its coordinator. */
  private boolean draining;
  private long typicalCost;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;
  private long ticker;
  private boolean dirty;
  private String lastState;

  public KeyVerticle(Settings settings) {
    this.settings = settings;
    this.nodeId = settings.nodeId();
    this.alias = settings.key().alias();
    this.stats = new KeyStats(settings.model());
    this.results = new TaskResults(alias, settings.model());
  }

  @Override
  public Future<?> start() {
    int maxInFlight = settings.maxInFlight();
    ScannerConfig.Model model = settings.model();
    web = WebClient.create(vertx,
        new WebClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setTcpNoDelay(true).setUserAgent("chatgpt-security-scanner"),
        new PoolOptions().setHttp1MaxSize(maxInFlight));
    chat = new ChatClient(web, model, settings.key());
    prompts = new PromptBuilder(model.name(), model.maxCompletionTokens());
    scheduler = new KeyScheduler(BudgetIds.budgetFor(vertx, settings.limits(), alias, settings.clusterBudget(), now()),
        maxInFlight, Math.min(maxInFlight, 4));
    coordinators = new CoordinatorClient(vertx.eventBus());
    typicalCost = 2L * model.maxCompletionTokens();
    ticker = vertx.setPeriodic(1000, id -> tick());
    publishState();
    pump();
    return vertx.eventBus().localConsumer(Addresses.DRAIN, m -> handBack()).completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(wakeTimer);
    web.close();
    return Future.succeededFuture();
  }

  /** Sends what the budget allows, gives back what waited too long, then asks for more work when there is room. */
  private void pump() {
    if (scheduler.disabledReason() != null || draining) return;
    long now = now();
    while (!pending.isEmpty()) {
      if (now > pending.peek().sendBy()) {
        giveBack(pending.poll().task());
        continue;
      }
      if (scheduler.inFlight() >= scheduler.capacity()) return;
      long delay = scheduler.trySend(pending.peek().cost(), now);
      if (delay > 0) {
        wakeIn(delay);
        return;
      }
      send(pending.poll(), now);
    }
    if (pulling) return;
    long delay = scheduler.delayMs(typicalCost, now);
    int credits = scheduler.credits(typicalCost, now);
    if (delay > 0) {
      wakeIn(delay);
    } else if (credits > 0) {
      pull(credits);
    }
  }

  private void pull(int credits) {
    pulling = true;
    vertx.eventBus().<JsonObject>request(Addresses.pull(nodeId), new Pull(alias, credits, settings.model().name()).toJson(),
            new DeliveryOptions().setSendTimeout(Pull.TIMEOUT_MS))
        .onComplete(ar -> {
          pulling = false;
          List<ReviewTask> tasks = ar.succeeded() ? PullReply.fromJson(ar.result().body()).tasks() : null;
          if (draining && tasks != null) {
            tasks.forEach(this::giveBack);
            return;
          }
          if (tasks == null) {
            wakeIn(PULL_RETRY_MS);
          } else if (tasks.isEmpty()) {
            wakeIn(IDLE_PULL_PAUSE_MS);
          } else {
            long receivedAt = now();
            tasks.forEach(t -> accept(t, receivedAt));
            pump();
          }
        });
  }

  private void accept(ReviewTask task, long receivedAt) {
    if (scheduler.disabledReason() != null) {
      coordinators.result(task.replyTo(), TaskResult.unsent(task, alias, TaskResult.KEY_DISABLED));
      return;
    }
    if (!task.allows(settings.model().name())) {
      // The dispatcher gives a key only tasks its model may serve; this holds even if one slipped through.
      LOG.warn("{}: task {} is for other models than {}: given back unsent", alias, task.taskId(), settings.model().name());
      giveBack(task);
      return;
    }
    Buffer body = body(task);
    long promptTokens = Math.max(task.estimatedTokens(), body.length() / 4);
    long cost = KeyScheduler.cost(promptTokens, settings.model().maxCompletionTokens(), settings.model().tokenAccounting());
    long sendBy = task.holdMs() > 0 ? receivedAt + task.holdMs() : Long.MAX_VALUE;
    pending.add(new Prepared(task, body, schemaInPrompt, cost, sendBy));
  }

  private Buffer body(ReviewTask task) {
    JsonObject strict = prompts.build(task);
    return (schemaInPrompt ? RequestShape.schemaInPrompt(strict) : strict).toBuffer();
  }

  /** Sends a request the scheduler has already let through and accounted for. */
  private void send(Prepared p, long now) {
    dirty = true;
    typicalCost = (typicalCost * 3 + p.cost()) / 4;
    chat.send(p.body()).onSuccess(outcome -> finish(p, now, outcome));
  }

  private void finish(Prepared p, long sentAt, ChatOutcome outcome) {
    long now = now();
    stats.count(outcome);
    if (outcome.message() != null) {
      LOG.debug("{}: task {}: {}", alias, p.task().taskId(), outcome.message());
    }
    // Files count once, for their review: a verification re-reads a file already counted.
    long files = p.task().isVerification() ? 0 : p.task().parts().stream().map(ReviewTask.Part::path).distinct().count();
    vertx.eventBus().publish(Addresses.calls(nodeId), new CallReport(alias, outcome.kind().name(), now - sentAt,
        p.task().replyTo(), files).toJson(),
        new DeliveryOptions().setLocalOnly(true));
    if (outcome.status() > 0 && outcome.kind() != ChatOutcome.Kind.QUOTA) {
      scheduler.onResponse(sentAt, outcome.status(), outcome.limits(), p.cost(), now);
    } else {
      scheduler.onNoResponse();
    }
    if (outcome.kind() == ChatOutcome.Kind.UNSUPPORTED_REQUEST && !p.schemaInPrompt()) {
      putSchemaInPrompt(p);
      pump();
      return;
    }
    TaskResult result = results.of(p.task(), outcome, p.schemaInPrompt());
    if (result.outcome() == TaskResult.Outcome.OK && !p.task().isVerification()) {
      stats.count(result.findings().size(), result.dropped());
    }
    if (outcome.kind() == ChatOutcome.Kind.OK && result.outcome() != TaskResult.Outcome.OK) {
      stats.invalid++;
    }
    switch (outcome.kind()) {
      case UNAUTHORIZED -> disable("unauthorized");
      case QUOTA -> disable("insufficient_quota");
      case MODEL_UNAVAILABLE, UNSUPPORTED_REQUEST -> disable(KeyState.MODEL_UNAVAILABLE);
      default -> { }
    }
    coordinators.result(p.task().replyTo(), result);
    dirty = true;
    if (!scheduler.state(now).equals(lastState)) publishState();
    pump();
  }

  /**
   * The endpoint refused the strict request shape (a self-hosted server without strict schemas or
   * without {@code prompt_cache_key}): from now on every request carries its schema in the prompt. The
   * refused task goes first again, and what waits is rebuilt; should the fallback be refused too, the key
   * is disabled as {@code model_unavailable}. Requests still in flight in the strict shape come back
   * here again and are simply sent once more.
   */
  private void putSchemaInPrompt(Prepared refused) {
    if (!schemaInPrompt) {
      LOG.warn("{}: {} refused the strict structured-output request; its schema goes in the prompt from now on", alias,
          settings.model().host());
      schemaInPrompt = true;
    }
    List<Prepared> again = new ArrayList<>();
    again.add(refused);
    again.addAll(pending);
    pending.clear();
    for (Prepared p : again) {
      pending.add(p.schemaInPrompt() ? p : new Prepared(p.task(), body(p.task()), true, p.cost(), p.sendBy()));
    }
    publishState();
  }

  /**
   * Gives every pulled but unsent task back to its coordinator at once, so it is leased again by a
   * worker that stays instead of waiting for this one to leave the cluster. Requests in flight finish.
   */
  private void handBack() {
    draining = true;
    if (!pending.isEmpty()) LOG.info("{}: handing back {} unsent task(s)", alias, pending.size());
    while (!pending.isEmpty()) giveBack(pending.poll().task());
  }

  private void giveBack(ReviewTask task) {
    coordinators.result(task.replyTo(), TaskResult.unsent(task, alias, TaskResult.HANDED_BACK));
  }

  /** The state is announced before the tasks go back, so their coordinator knows whether any key is left. */
  private void disable(String reason) {
    if (scheduler.disabledReason() != null) return;
    LOG.warn("{} disabled: {}; its work goes to the other keys", alias, reason);
    scheduler.disable(reason);
    publishState();
    while (!pending.isEmpty()) {
      ReviewTask task = pending.poll().task();
      coordinators.result(task.replyTo(), TaskResult.unsent(task, alias, TaskResult.KEY_DISABLED));
    }
    if (reason.equals(KeyState.MODEL_UNAVAILABLE)) {
      vertx.setTimer(MODEL_RETRY_MS, t -> {
        LOG.info("{}: trying the model again", alias);
        scheduler.enable();
        publishState();
        pump();
      });
    }
  }

  private void wakeIn(long delayMs) {
    long at = now() + Math.max(1, delayMs);
    if (wakeTimer >= 0 && wakeAt <= at) return;
    vertx.cancelTimer(wakeTimer);
    wakeAt = at;
    wakeTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      wakeTimer = -1;
      wakeAt = Long.MAX_VALUE;
      pump();
    });
  }

  /** Publishes at most once a second while working, and catches the end of a cool-down. */
  private void tick() {
    if (dirty || !scheduler.state(now()).equals(lastState)) publishState();
    pump();
  }

  private void publishState() {
    long now = now();
    KeyState state = stats.state(alias, nodeId, scheduler, schemaInPrompt ? KeyState.SCHEMA_IN_PROMPT : null, now);
    lastState = state.state();
    dirty = false;
    vertx.sharedData().getLocalMap(Addresses.KEYS_MAP).put(alias, state.toJson());
    vertx.eventBus().publish(Addresses.keyStates(nodeId), state.toJson());
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
