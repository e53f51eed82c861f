package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.github.cgscanner.sim.VulnPatterns;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class KeyVerticleTest {
  private static final String GOOD_KEY = "sk-test-good-4f2a9c1e7d3b5a8f1234";
  private static final String BAD_KEY = "sk-test-bad-0b1c2d3e4f5a6b7c9876";
  private static final String NO_QUOTA_KEY = "sk-test-broke-aa11bb22cc33dd445555";
  private static final String SQL = VulnPatterns.ALL.get(0).sample();

  private final List<JsonObject> results = new CopyOnWriteArrayList<>();
  private final List<JsonObject> states = new CopyOnWriteArrayList<>();
  private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();

  /** Task n: file src/Svc{n}.java lines 100-104, the SQL sample on line 102. */
  private static JsonObject task(int n) {
    String text = String.join("\n", "class Svc" + n + " {", "  void find(String name) {", "    " + SQL, "  }", "}");
    return new JsonObject()
        .put("taskId", "scan1:" + n).put("scanId", "scan1").put("replyTo", "scanner.coordinator.test")
        .put("leaseId", "lease-" + n).put("attempt", 0).put("model", "gpt-5.4-mini").put("promptCacheKey", "scan-scan1")
        .putNull("instructions").put("estimatedTokens", 60)
        .put("parts", new JsonArray().add(new JsonObject().put("path", "src/Svc" + n + ".java")
            .put("startLine", 100).put("endLine", 104).put("text", text).put("hints", new JsonArray())));
  }

  /** The dispatcher and coordinator ends of the work protocol, as simple as they can be. */
  private void fakeCluster(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer("scanner.dispatch.test", msg -> {
      JsonArray tasks = new JsonArray();
      synchronized (queue) {
        for (int i = 0; i < msg.body().getInteger("credits") && !queue.isEmpty(); i++) tasks.add(queue.poll());
      }
      if (tasks.isEmpty()) {
        vertx.setTimer(100, id -> msg.reply(new JsonObject().put("tasks", tasks)));
      } else {
        msg.reply(new JsonObject().put("tasks", tasks));
      }
    });
    vertx.eventBus().<JsonObject>consumer("scanner.coordinator.test", msg -> results.add(msg.body()));
    vertx.eventBus().<JsonObject>consumer("scanner.keys.test", msg -> states.add(msg.body()));
  }

  /** The key verticle of key {@code index}, with its slice of the configuration {@code scanner}. */
  static KeyVerticle keyVerticle(JsonObject scanner, int index) {
    ScannerConfig c = ScannerConfig.fromJson(scanner);
    return new KeyVerticle(new KeyVerticle.Settings("test", c.keys().apiKeys().get(index),
        c.keys().providerOf(c.keys().apiKeys().get(index)), c.keys().limits(),
        c.keys().maxInFlightPerKey(), io.github.cgscanner.llm.BudgetIds.clusterName(c.keys(), c.keys().apiKeys().get(index))));
  }

  private static Future<String> deployKey(Vertx vertx, ModelSimulator sim, String secret) {
    return deployKey(vertx, sim, secret, "5s");
  }

  private static Future<String> deployKey(Vertx vertx, ModelSimulator sim, String secret, String requestTimeout) {
    JsonObject scanner = ConfigLoader.defaults();
    scanner.getJsonObject("model").put("baseUrl", sim.baseUrl()).put("requestTimeout", requestTimeout);
    scanner.getJsonObject("keys").put("apiKeys", new JsonArray().add(secret));
    return vertx.deployVerticle(keyVerticle(scanner, 0));
  }

  private static Future<Void> await(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  private static void assertNoSecret(List<JsonObject> messages, String secret) {
    String shownByProvider = secret.substring(0, 5) + "****" + secret.substring(secret.length() - 4);
    for (JsonObject m : messages) {
      String text = m.encode();
      assertFalse(text.contains(secret) || text.contains(secret.substring(8)) || text.contains(shownByProvider), text);
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void reviewsTasksConcurrentlyAndReturnsOnlyValidatedFindings(Vertx vertx, VertxTestContext ctx) {
    int tasks = 12;
    for (int i = 0; i < tasks; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).limit(6000, 10_000_000)
        .latency(300, 0.2).faults(new SimulatorOptions.Faults(0, 0, 0, 0, 0, 0, 1.0)).build());
    fakeCluster(vertx);
    sim.start()
        .compose(port -> deployKey(vertx, sim, GOOD_KEY))
        .compose(id -> await(vertx, () -> results.size() >= tasks && states.stream().anyMatch(s -> s.getLong("ok") >= tasks)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(tasks, results.size());
          for (JsonObject r : results) {
            assertEquals("ok", r.getString("outcome"), r.encode());
            assertEquals("key-0", r.getString("key"));
            assertEquals(1, r.getInteger("dropped"), "the simulator's made-up finding is dropped: " + r.encode());
            JsonArray findings = r.getJsonArray("findings");
            assertEquals(1, findings.size(), r.encode());
            JsonObject f = findings.getJsonObject(0);
            int n = Integer.parseInt(r.getString("taskId").substring("scan1:".length()));
            assertEquals("src/Svc" + n + ".java", f.getString("path"));
            assertEquals(102, f.getInteger("startLine"));
            assertEquals("llm/CWE-89", f.getString("ruleId"));
            assertEquals("    " + SQL, f.getString("snippet"));
            assertEquals("lease-" + n, r.getString("leaseId"));
            assertEquals(1, r.getJsonObject("usage").getInteger("requests"));
            assertTrue(r.getJsonObject("usage").getLong("promptTokens") > 0);
          }
          assertTrue(results.stream().anyMatch(r -> r.getJsonObject("usage").getLong("cachedTokens") > 0),
              "one prompt_cache_key per scan lets the provider cache the fixed prefix");
          assertTrue(sim.maxConcurrent("key-0") > 1, "several requests in flight at once: " + sim.stats());
          assertEquals(0, sim.responses("key-0", 429), "never past the limits");
          assertTrue(sim.prompts().stream().allMatch(p -> p.contains("102|     " + SQL)), "numbered code reached the model");
          JsonObject last = states.get(states.size() - 1);
          assertEquals("key-0", last.getString("key"));
          assertEquals("test", last.getString("node"));
          assertEquals("healthy", last.getString("state"));
          assertEquals((long) tasks, last.getLong("requests"));
          assertEquals(last, vertx.sharedData().getLocalMap(Addresses.KEYS_MAP).get("key-0"));
          assertNoSecret(results, GOOD_KEY);
          assertNoSecret(states, GOOD_KEY);
          assertTrue(sim.prompts().stream().noneMatch(p -> p.contains(GOOD_KEY)));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unauthorizedKeyIsDisabledAndHandsItsWorkBack(Vertx vertx, VertxTestContext ctx) {
    disabledKey(vertx, ctx, BAD_KEY, "unauthorized");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void keyWithoutQuotaIsDisabled(Vertx vertx, VertxTestContext ctx) {
    disabledKey(vertx, ctx, NO_QUOTA_KEY, "insufficient_quota");
  }

  private void disabledKey(Vertx vertx, VertxTestContext ctx, String key, String reason) {
    for (int i = 0; i < 3; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).quotaKeys(NO_QUOTA_KEY)
        .latency(50, 0).build());
    fakeCluster(vertx);
    sim.start()
        .compose(port -> deployKey(vertx, sim, key))
        .compose(id -> await(vertx, () -> results.size() >= 3 && states.stream().anyMatch(s -> "disabled".equals(s.getString("state")))))
        .compose(v -> await(vertx, () -> states.get(states.size() - 1).getInteger("inFlight") == 0))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(3, results.size(), "every task pulled comes back, none is lost or sent twice");
          for (JsonObject r : results) {
            assertEquals("retry", r.getString("outcome"));
            assertEquals("key_disabled", r.getString("reason"));
            assertTrue(r.getJsonArray("findings").isEmpty());
          }
          JsonObject disabled = states.stream().filter(s -> "disabled".equals(s.getString("state"))).findFirst().orElseThrow();
          assertEquals(reason, disabled.getString("disabledReason"));
          JsonObject last = states.get(states.size() - 1);
          assertEquals("disabled", last.getString("state"), "disabled for good");
          assertEquals(0, last.getInteger("inFlight"));
          long calls = key.equals(BAD_KEY) ? sim.responses("unknown", 401) : sim.responses("key-1", 429);
          assertTrue(calls >= 1, "the provider was asked");
          assertTrue(calls <= 3, "a disabled key stops calling the provider: " + calls);
          assertNoSecret(results, key);
          assertNoSecret(states, key);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void truncatedAnswerAsksForASplit(Vertx vertx, VertxTestContext ctx) {
    faulty(vertx, ctx, new SimulatorOptions.Faults(0, 0, 0, 1, 0, 0, 0), "split", "truncated");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void malformedAnswerIsRetried(Vertx vertx, VertxTestContext ctx) {
    faulty(vertx, ctx, new SimulatorOptions.Faults(0, 0, 0, 0, 1, 0, 0), "retry", "malformed");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void serverErrorIsRetried(Vertx vertx, VertxTestContext ctx) {
    faulty(vertx, ctx, new SimulatorOptions.Faults(0.5, 0.5, 0, 0, 0, 0, 0), "retry", "server_error");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void refusalIsRetriedOnce(Vertx vertx, VertxTestContext ctx) {
    faulty(vertx, ctx, new SimulatorOptions.Faults(0, 0, 0, 0, 0, 1, 0), "retry", "refusal");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void hangingRequestTimesOut(Vertx vertx, VertxTestContext ctx) {
    faulty(vertx, ctx, new SimulatorOptions.Faults(0, 0, 1, 0, 0, 0, 0), "retry", "timeout");
  }

  private void faulty(Vertx vertx, VertxTestContext ctx, SimulatorOptions.Faults faults, String outcome, String reason) {
    // Only a hang needs a short timeout; others get room for a slow first request on a busy machine.
    faulty(vertx, ctx, faults, outcome, reason, faults.hang() > 0 ? "1s" : "10s");
  }

  private void faulty(Vertx vertx, VertxTestContext ctx, SimulatorOptions.Faults faults, String outcome, String reason,
      String requestTimeout) {
    for (int i = 0; i < 2; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).latency(20, 0).faults(faults).build());
    fakeCluster(vertx);
    sim.start()
        .compose(port -> deployKey(vertx, sim, GOOD_KEY, requestTimeout))
        .compose(id -> await(vertx, () -> results.size() >= 2))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          for (JsonObject r : results) {
            assertEquals(outcome, r.getString("outcome"), r.encode());
            assertEquals(reason, r.getString("reason"));
            assertTrue(r.getJsonArray("findings").isEmpty(), "nothing from a bad answer is passed on");
            assertEquals(1, r.getJsonObject("usage").getInteger("requests"));
          }
          assertNoSecret(results, GOOD_KEY);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void twoKeysOfOneGroupShareTheBudgetAndStayWithinIt(Vertx vertx, VertxTestContext ctx) {
    int tasks = 40;
    for (int i = 0; i < tasks; i++) queue.add(task(i));
    String second = "sk-test-second-1a2b3c4d5e6f7a8b";
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY, second)
        .group("proj-a", List.of(GOOD_KEY, second), 600, 0).latency(50, 0.2).build());
    JsonObject scanner = ConfigLoader.defaults();
    scanner.getJsonObject("keys").put("apiKeys", new JsonArray().add(GOOD_KEY).add(second))
        .put("limits", new JsonObject().put("groups", new JsonArray().add(new JsonObject().put("name", "proj-a")
            .put("keys", new JsonArray().add("key-0").add("key-1")).put("rpm", 600))));
    fakeCluster(vertx);
    long started = System.currentTimeMillis();
    sim.start()
        .compose(port -> {
          scanner.getJsonObject("model").put("baseUrl", sim.baseUrl());
          return Future.all(vertx.deployVerticle(keyVerticle(scanner, 0)), vertx.deployVerticle(keyVerticle(scanner, 1)));
        })
        .compose(v -> await(vertx, () -> results.size() >= tasks))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(), results.stream().filter(r -> !"ok".equals(r.getString("outcome"))).toList());
          assertEquals(0, sim.responses("key-0", 429) + sim.responses("key-1", 429), "never past the group's budget: " + sim.stats());
          assertTrue(sim.responses("key-0", 200) > 0 && sim.responses("key-1", 200) > 0, "both keys worked: " + sim.stats());
          assertTrue(System.currentTimeMillis() - started >= 2_500, "40 requests at 10 a second after a burst of 10 take 3 s");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aTaskNotSentWithinItsLeasesHoldTimeGoesBackUnsentAndIsNeverSentLate(Vertx vertx, VertxTestContext ctx) {
    // One request per 10 s (burst 1): of three tasks pulled at once, two must wait past their 300 ms hold.
    vertx.eventBus().<JsonObject>consumer("scanner.dispatch.test", msg -> {
      JsonArray tasks = new JsonArray();
      synchronized (queue) {
        while (!queue.isEmpty()) tasks.add(queue.poll().put("holdMs", 300));
      }
      msg.reply(new JsonObject().put("tasks", tasks));
    });
    vertx.eventBus().<JsonObject>consumer("scanner.coordinator.test", msg -> results.add(msg.body()));
    for (int i = 0; i < 3; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).latency(20, 0).build());
    JsonObject scanner = ConfigLoader.defaults();
    scanner.getJsonObject("keys").put("apiKeys", new JsonArray().add(GOOD_KEY))
        .put("limits", new JsonObject().put("key-0", new JsonObject().put("rpm", 6)));
    sim.start()
        .compose(port -> {
          scanner.getJsonObject("model").put("baseUrl", sim.baseUrl());
          return vertx.deployVerticle(keyVerticle(scanner, 0));
        })
        .compose(id -> await(vertx, () -> results.size() >= 3))
        .compose(v -> {
          Promise<Void> settle = Promise.promise();
          vertx.setTimer(1500, t -> settle.complete());
          return settle.future();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, results.stream().filter(r -> "ok".equals(r.getString("outcome"))).count(), results.toString());
          assertEquals(2, results.stream().filter(r -> "handed_back".equals(r.getString("reason"))).count(), results.toString());
          assertEquals(1, sim.responses("key-0", 200), "a task past its hold is never sent: another key may hold it now");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aDrainingKeyHandsBackWhatItHasNotSentAndPullsNoMore(Vertx vertx, VertxTestContext ctx) {
    // A dispatcher that hands over more than the key can send now (one request per 10 s, burst 1).
    vertx.eventBus().<JsonObject>consumer("scanner.dispatch.test", msg -> {
      JsonArray tasks = new JsonArray();
      synchronized (queue) {
        while (!queue.isEmpty()) tasks.add(queue.poll());
      }
      msg.reply(new JsonObject().put("tasks", tasks));
    });
    vertx.eventBus().<JsonObject>consumer("scanner.coordinator.test", msg -> results.add(msg.body()));
    for (int i = 0; i < 3; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).latency(50, 0).build());
    JsonObject scanner = ConfigLoader.defaults();
    scanner.getJsonObject("keys").put("apiKeys", new JsonArray().add(GOOD_KEY))
        .put("limits", new JsonObject().put("key-0", new JsonObject().put("rpm", 6)));
    sim.start()
        .compose(port -> {
          scanner.getJsonObject("model").put("baseUrl", sim.baseUrl());
          return vertx.deployVerticle(keyVerticle(scanner, 0));
        })
        .compose(id -> await(vertx, () -> sim.stats().getJsonObject("requests").getLong("key-0", 0L) >= 1))
        .compose(v -> {
          vertx.eventBus().publish(Addresses.DRAIN, null);
          synchronized (queue) {
            queue.add(task(3));
          }
          return await(vertx, () -> results.size() >= 3);
        })
        .compose(v -> {
          Promise<Void> settle = Promise.promise();
          vertx.setTimer(1500, t -> settle.complete());
          return settle.future();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(3, results.size(), "each pulled task comes back once: " + results);
          assertEquals(1, results.stream().filter(r -> "ok".equals(r.getString("outcome"))).count(), "the request in flight finishes");
          List<JsonObject> back = results.stream().filter(r -> "handed_back".equals(r.getString("reason"))).toList();
          assertEquals(2, back.size(), results.toString());
          for (JsonObject r : back) {
            assertEquals("retry", r.getString("outcome"));
            assertEquals(0, r.getJsonObject("usage").getInteger("requests"));
          }
          assertEquals(1, sim.responses("key-0", 200), "nothing more was sent after the drain");
          assertEquals(1, queue.size(), "nothing more was pulled after the drain");
          ctx.completeNow();
        })));
  }

  /** A key of a self-hosted model: its own endpoint and model name, as keys.providers gives it. */
  private static Future<String> deployLocalKey(Vertx vertx, ModelSimulator sim) {
    JsonObject scanner = ConfigLoader.defaults();
    scanner.getJsonObject("model").put("requestTimeout", "5s");
    scanner.getJsonObject("keys").put("apiKeys", new JsonArray().add(GOOD_KEY))
        .put("providers", new JsonObject().put("key-0", new JsonObject().put("baseUrl", sim.baseUrl()).put("name", "local-model")));
    return vertx.deployVerticle(keyVerticle(scanner, 0));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aServerWithoutStrictSchemasGetsTheSchemaInThePromptAndTheKeySaysSo(Vertx vertx, VertxTestContext ctx) {
    int tasks = 6;
    for (int i = 0; i < tasks; i++) queue.add(task(i));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).selfHosted("local-model", true)
        .latency(50, 0).build());
    fakeCluster(vertx);
    sim.start()
        .compose(port -> deployLocalKey(vertx, sim))
        .compose(id -> await(vertx, () -> results.size() >= tasks))
        .compose(v -> await(vertx, () -> states.get(states.size() - 1).getInteger("inFlight") == 0))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(tasks, results.size(), "each task answered once: " + results);
          for (JsonObject r : results) {
            assertEquals("ok", r.getString("outcome"), r.encode());
            assertEquals("local-model", r.getString("model"));
            assertEquals(sim.baseUrl(), r.getString("endpoint"));
            assertEquals(1, r.getJsonArray("findings").size(), "the fenced JSON is read and validated: " + r.encode());
          }
          assertTrue(sim.refusedShape() >= 1 && sim.refusedShape() <= 4, "refused in the strict shape: " + sim.refusedShape());
          assertEquals(0, sim.wrongDialect());
          JsonObject last = states.get(states.size() - 1);
          assertEquals("healthy", last.getString("state"), "a degraded key still works");
          assertEquals("schema-in-prompt", last.getString("degraded"));
          assertEquals("local-model", last.getString("model"));
          assertEquals("openai-compatible", last.getString("dialect"));
          assertEquals((long) tasks, last.getLong("findings"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aTaskOfAScanForOtherModelsGoesBackUnsent(Vertx vertx, VertxTestContext ctx) {
    queue.add(task(0).put("models", new JsonArray().add("another-model")));
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(GOOD_KEY).build());
    fakeCluster(vertx);
    sim.start()
        .compose(port -> deployKey(vertx, sim, GOOD_KEY))
        .compose(id -> await(vertx, () -> results.size() >= 1))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals("retry", results.get(0).getString("outcome"));
          assertEquals("handed_back", results.get(0).getString("reason"));
          assertEquals(0, sim.stats().getJsonObject("requests").size(), "nothing reached the provider");
          ctx.completeNow();
        })));
  }
}
