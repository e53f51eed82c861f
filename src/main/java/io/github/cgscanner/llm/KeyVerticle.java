package io.github.cgscanner.llm;

import io.github.cgscanner.cli.ScannerNode;
import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API key: pulls review tasks from the local dispatcher as its scheduler allows, sends them to the
 * model, validates the answers and reports results to each task's coordinator. Config:
 * {@code {"nodeId", "keyIndex", "scanner": ScannerConfig JSON}}.
 */
public final class KeyVerticle extends VerticleBase {
  public static final String KEYS_MAP = "scanner.keys";
  private static final Logger LOG = LoggerFactory.getLogger(KeyVerticle.class);
  private static final long PULL_TIMEOUT_MS = 60_000;
  private static final long PULL_RETRY_MS = 200;
  private static final long IDLE_PULL_PAUSE_MS = 20;

  /** A pulled task with its request body ready, waiting for the budget. */
  private record Prepared(ReviewTask task, Buffer body, long cost) {}

  private final KeyStats stats = new KeyStats();
  private final ArrayDeque<Prepared> pending = new ArrayDeque<>();
  private String nodeId;
  private String alias;
  private ScannerConfig config;
  private WebClient web;
  private ChatClient chat;
  private PromptBuilder prompts;
  private KeyScheduler scheduler;
  private boolean pulling;
  /** The worker is shutting down: nothing more is pulled, and what waits unsent goes back to its coordinator. */
  private boolean draining;
  private long typicalCost;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;
  private long ticker;
  private boolean dirty;
  private String lastState;

  /** Where each model call is reported when it ends ({@code key}, {@code outcome}, {@code ms}, {@code replyTo}, {@code files}), for the metrics. */
  public static String callsAddress(String nodeId) {
    return "scanner.keys." + nodeId + ".calls";
  }

  @Override
  public Future<?> start() {
    nodeId = config().getString("nodeId");
    config = ScannerConfig.fromJson(config().getJsonObject("scanner"));
    ApiKey key = config.keys().apiKeys().get(config().getInteger("keyIndex", 0));
    alias = key.alias();
    int maxInFlight = config.keys().maxInFlightPerKey();
    web = WebClient.create(vertx,
        new WebClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setTcpNoDelay(true).setUserAgent("chatgpt-security-scanner"),
        new PoolOptions().setHttp1MaxSize(maxInFlight));
    chat = new ChatClient(web, config.model(), key);
    prompts = new PromptBuilder(config.model().name(), config.model().maxCompletionTokens());
    scheduler = new KeyScheduler(BudgetIds.budgetFor(vertx, config.keys(), key, now()), maxInFlight, Math.min(maxInFlight, 4));
    typicalCost = 2L * config.model().maxCompletionTokens();
    ticker = vertx.setPeriodic(1000, id -> tick());
    publishState();
    pump();
    return vertx.eventBus().localConsumer(ScannerNode.DRAIN_ADDRESS, m -> handBack()).completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(wakeTimer);
    web.close();
    return Future.succeededFuture();
  }

  /** Sends what the budget allows, then asks for more work when there is room. */
  private void pump() {
    if (scheduler.disabledReason() != null || draining) return;
    long now = now();
    while (!pending.isEmpty()) {
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
    JsonObject ask = new JsonObject().put("key", alias).put("credits", credits);
    vertx.eventBus().<JsonObject>request("scanner.dispatch." + nodeId, ask, new DeliveryOptions().setSendTimeout(PULL_TIMEOUT_MS))
        .onComplete(ar -> {
          pulling = false;
          JsonArray tasks = ar.succeeded() ? tasks(ar.result()) : null;
          if (draining && tasks != null) {
            tasks.forEach(t -> giveBack(ReviewTask.fromJson((JsonObject) t)));
            return;
          }
          if (tasks == null) {
            wakeIn(PULL_RETRY_MS);
          } else if (tasks.isEmpty()) {
            wakeIn(IDLE_PULL_PAUSE_MS);
          } else {
            tasks.forEach(t -> accept(ReviewTask.fromJson((JsonObject) t)));
            pump();
          }
        });
  }

  private static JsonArray tasks(Message<JsonObject> reply) {
    return reply.body() == null ? new JsonArray() : reply.body().getJsonArray("tasks", new JsonArray());
  }

  private void accept(ReviewTask task) {
    if (scheduler.disabledReason() != null) {
      vertx.eventBus().send(task.replyTo(), TaskResults.unsent(task, alias, TaskResults.KEY_DISABLED));
      return;
    }
    Buffer body = prompts.build(task).toBuffer();
    long promptTokens = Math.max(task.estimatedTokens(), body.length() / 4);
    long cost = KeyScheduler.cost(promptTokens, config.model().maxCompletionTokens(), config.model().tokenAccounting());
    pending.add(new Prepared(task, body, cost));
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
    vertx.eventBus().publish(callsAddress(nodeId), new JsonObject().put("key", alias).put("outcome", outcome.kind().name())
        .put("ms", now - sentAt).put("replyTo", p.task().replyTo())
        .put("files", p.task().parts().stream().map(ReviewTask.Part::path).distinct().count()),
        new DeliveryOptions().setLocalOnly(true));
    if (outcome.status() > 0 && outcome.kind() != ChatOutcome.Kind.QUOTA) {
      scheduler.onResponse(sentAt, outcome.status(), outcome.limits(), p.cost(), now);
    } else {
      scheduler.onNoResponse();
    }
    boolean answered = outcome.kind() == ChatOutcome.Kind.OK && outcome.refusal() == null && !"length".equals(outcome.finishReason());
    JsonObject result = TaskResults.of(p.task(), alias, outcome, answered ? ResponseValidator.validate(p.task(), outcome.content()) : null);
    if (outcome.kind() == ChatOutcome.Kind.OK && !TaskResults.OK.equals(result.getString("outcome"))) {
      stats.invalid++;
    }
    vertx.eventBus().send(p.task().replyTo(), result);
    if (outcome.kind() == ChatOutcome.Kind.UNAUTHORIZED || outcome.kind() == ChatOutcome.Kind.QUOTA) {
      disable(outcome.kind() == ChatOutcome.Kind.QUOTA ? "insufficient_quota" : "unauthorized");
    }
    dirty = true;
    if (!scheduler.state(now).equals(lastState)) publishState();
    pump();
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
    vertx.eventBus().send(task.replyTo(), TaskResults.unsent(task, alias, TaskResults.HANDED_BACK));
  }

  private void disable(String reason) {
    if (scheduler.disabledReason() != null) return;
    LOG.warn("{} disabled: {}; its work goes to the other keys", alias, reason);
    scheduler.disable(reason);
    while (!pending.isEmpty()) {
      ReviewTask task = pending.poll().task();
      vertx.eventBus().send(task.replyTo(), TaskResults.unsent(task, alias, TaskResults.KEY_DISABLED));
    }
    publishState();
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
    JsonObject state = stats.toJson(alias, nodeId, scheduler, now);
    lastState = state.getString("state");
    dirty = false;
    vertx.sharedData().getLocalMap(KEYS_MAP).put(alias, state);
    vertx.eventBus().publish("scanner.keys." + nodeId, state);
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
