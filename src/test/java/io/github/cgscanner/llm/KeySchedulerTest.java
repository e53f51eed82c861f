package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class KeySchedulerTest {
  private static final RateLimitHeaders NONE = RateLimitHeaders.none();

  private static KeyScheduler scheduler(long rpm, long tpm, int max, int initial) {
    return new KeyScheduler(new SharedBudget(rpm, tpm, 0), max, initial);
  }

  /** Sends whenever allowed for {@code durationMs}, answers instantly with 200; returns the send times. */
  private static List<Long> drive(List<KeyScheduler> keys, long cost, long durationMs) {
    List<Long> sends = new ArrayList<>();
    for (long t = 0; t < durationMs; t += 5) {
      for (KeyScheduler k : keys) {
        while (k.freeSlots(t) > 0 && k.trySend(cost, t) == 0) {
          sends.add(t);
          k.onResponse(t, 200, NONE, cost, t);
        }
      }
    }
    return sends;
  }

  private static long countIn(List<Long> times, long from, long to) {
    return times.stream().filter(t -> t >= from && t < to).count();
  }

  @Test
  void requestBucketKeepsToRpm() {
    KeyScheduler k = scheduler(60, 0, 16, 4);
    assertEquals(1, k.freeSlots(0), "about one second of a 60 rpm budget");
    k.trySend(10, 0);
    assertEquals(0, k.freeSlots(0));
    assertEquals(1000, k.delayMs(10, 0));
    assertEquals(0, k.delayMs(10, 1000));

    List<Long> sends = drive(List.of(scheduler(60, 0, 16, 4)), 10, 120_000);
    assertTrue(sends.size() <= 121 && sends.size() >= 119, "sent " + sends.size());
    for (long from = 0; from + 60_000 <= 120_000; from += 5_000) {
      assertTrue(countIn(sends, from, from + 60_000) <= 61, "never past 60 in a minute");
    }
  }

  @Test
  void tokenBucketKeepsToTpmEvenForRequestsBiggerThanTheBucket() {
    KeyScheduler k = scheduler(0, 6_000, 16, 4);
    assertEquals(0, k.delayMs(250, 0), "a full bucket lets a big request through");
    k.trySend(250, 0);
    assertEquals(2_500, k.delayMs(250, 0), "then the debt is repaid at 100 tokens a second");

    List<Long> sends = drive(List.of(scheduler(0, 6_000, 16, 4)), 250, 120_000);
    long tokens = sends.size() * 250L;
    assertTrue(tokens <= 12_000 + 250 && tokens >= 12_000 - 500, "spent " + tokens);
  }

  @Test
  void creditsAreWhatTheTokenBudgetPaysFor() {
    KeyScheduler k = scheduler(0, 60_000, 16, 8);
    assertEquals(4, k.credits(250, 0), "1000 tokens in the bucket pay for four requests of 250");
    assertEquals(1, k.credits(5_000, 0), "a full bucket lets one big request through");
    k.trySend(5_000, 0);
    assertEquals(0, k.credits(5_000, 0));
    assertEquals(8, scheduler(0, 0, 16, 8).credits(250, 0), "no token limit: the window decides");
  }

  @Test
  void tokenAccounting() {
    assertEquals(1_500, KeyScheduler.cost(1_000, 500, "sum"));
    assertEquals(1_000, KeyScheduler.cost(1_000, 500, "max"));
  }

  @Test
  void groupedKeysShareOneBudgetAndNeverExceedIt() {
    JsonObject limits = new JsonObject()
        .put("key-0", new JsonObject().put("rpm", 600).put("tpm", 200_000))
        .put("groups", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "proj-a")
            .put("keys", new io.vertx.core.json.JsonArray().add("key-1").add("key-2")).put("rpm", 120).put("tpm", 100_000)));
    assertEquals(new KeyScheduler.Limits("key:key-0", 600, 200_000), KeyScheduler.limitsFor(limits, "key-0"));
    assertEquals(new KeyScheduler.Limits("group:proj-a", 120, 100_000), KeyScheduler.limitsFor(limits, "key-1"));
    assertEquals(KeyScheduler.limitsFor(limits, "key-1").budgetName(), KeyScheduler.limitsFor(limits, "key-2").budgetName());
    assertEquals(new KeyScheduler.Limits("key:key-3", 0, 0), KeyScheduler.limitsFor(limits, "key-3"));

    SharedBudget shared = new SharedBudget(120, 0, 0);
    KeyScheduler a = new KeyScheduler(shared, 16, 4);
    KeyScheduler b = new KeyScheduler(shared, 16, 4);
    List<Long> sends = drive(List.of(a, b), 10, 60_000);
    assertTrue(sends.size() <= 122, "two keys of one group sent " + sends.size() + " in a minute of a 120 rpm budget");
    assertTrue(sends.size() >= 118, "and used it: " + sends.size());
  }

  /** Four keys of one group on four threads, all at the same instant: the burst of 10 is spent exactly once. */
  @Test
  void groupedKeysOnSeveralThreadsNeverSpendTheSameRequestTwice() throws Exception {
    for (int round = 0; round < 50; round++) {
      SharedBudget shared = new SharedBudget(600, 0, 0);
      java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        KeyScheduler k = new KeyScheduler(shared, 64, 4);
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int n = 0; n < 20; n++) {
            if (k.trySend(1, 5) == 0) sent.incrementAndGet();
          }
        });
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread t : threads) t.join();
      assertEquals(10, sent.get(), "round " + round);
    }
  }

  @Test
  void slowStartUntilTheFirst429ThenTheDiscoveredRateDecidesOncePerCongestionEvent() {
    KeyScheduler k = scheduler(0, 0, 64, 4);
    assertEquals(4, k.capacity());
    for (int i = 0; i < 4; i++) k.trySend(1, 0);
    assertEquals(0, k.freeSlots(0), "the window is full");
    for (int i = 0; i < 4; i++) k.onResponse(0, 200, NONE, 1, 10);
    assertEquals(8, k.capacity(), "doubles per round trip before the first 429");
    for (int i = 0; i < 8; i++) k.trySend(1, 20);
    k.onResponse(20, 429, NONE, 1, 30);
    assertEquals(594, k.budget().rpm(), "90% of what was admitted: 11 of 12 sends within the last second");
    assertEquals(64, k.capacity(), "a paced key is no longer braked by the window");
    k.onResponse(20, 429, NONE, 1, 31);
    assertEquals(594, k.budget().rpm(), "429s of requests already in flight belong to the same event");
    assertEquals(0, k.freeSlots(31), "the provider's bucket is empty: so is ours");
    long delay = k.delayMs(1, 31);
    assertTrue(delay >= 101 && delay <= 102, "one request's worth at 594 rpm: " + delay);
  }

  @Test
  void aRateFromTheHeadersStartsFromAnEmptyBucketNotTheUnpacedDebt() {
    KeyScheduler k = scheduler(0, 0, 48, 4);
    for (int i = 0; i < 4; i++) k.trySend(1, 0);
    k.onResponse(0, 200, new RateLimitHeaders(600L, null, 6L, null, 400L, null, null), 1, 2_000);
    assertEquals(600, k.budget().rpm());
    assertEquals(48, k.capacity(), "pacing by 600 rpm decides, not the window");
    assertEquals(100, k.delayMs(1, 2_000), "one request's worth, not the four sent before the limit was known");
    int free = k.freeSlots(3_000);
    assertTrue(free >= 9 && free <= 10, "a second later the burst of 10 is back: " + free);
  }

  @Test
  void a429WithoutRetryInformationCoolsAConfiguredKeyDown() {
    KeyScheduler k = scheduler(600, 0, 16, 4);
    k.trySend(1, 0);
    k.onResponse(0, 429, NONE, 1, 100);
    assertEquals(KeyScheduler.THROTTLED, k.state(100));
    assertEquals(SharedBudget.DEFAULT_BACKOFF_MS, k.delayMs(1, 100));
    assertEquals(600, k.budget().rpm(), "a configured limit is not second-guessed");
  }

  @Test
  void retryAfterCoolsDownTheKey() {
    KeyScheduler k = scheduler(0, 0, 16, 4);
    k.trySend(1, 0);
    k.onResponse(0, 429, new RateLimitHeaders(null, null, null, null, null, null, 3_000L), 1, 100);
    assertEquals(KeyScheduler.THROTTLED, k.state(100));
    assertEquals(0, k.freeSlots(2_000));
    assertEquals(1_100, k.delayMs(1, 2_000));
    assertEquals(KeyScheduler.HEALTHY, k.state(3_100));
    assertTrue(k.freeSlots(3_100) > 0);
  }

  @Test
  void exhaustedHeadersPauseUntilOneRequestIsBack() {
    KeyScheduler k = scheduler(0, 0, 16, 4);
    k.trySend(1, 0);
    k.onResponse(0, 200, new RateLimitHeaders(60L, null, 0L, null, 2_000L, null, null), 1, 0);
    assertEquals(KeyScheduler.THROTTLED, k.state(500));
    assertEquals(0, k.freeSlots(500));
    assertTrue(k.delayMs(1, 0) >= 1_000, "a 60 rpm limit learned from the headers gives one request a second");
    assertEquals(KeyScheduler.HEALTHY, k.state(1_000));
    assertEquals(60, k.budget().rpm());
  }

  @Test
  void remainingTokensBelowTheLastCostPausesForTheShortfall() {
    KeyScheduler k = scheduler(0, 0, 16, 4);
    k.trySend(1_000, 0);
    k.onResponse(0, 200, new RateLimitHeaders(null, 60_000L, null, 400L, null, 30_000L, null), 1_000, 0);
    assertEquals(600, k.delayMs(1, 0), "600 tokens short at 1000 tokens a second");
  }

  @Test
  void disabledKeyTakesNothing() {
    KeyScheduler k = scheduler(0, 0, 16, 4);
    k.disable("unauthorized");
    assertEquals(0, k.freeSlots(0));
    assertEquals(KeyScheduler.DISABLED, k.state(0));
    assertEquals("unauthorized", k.disabledReason());
  }

  /** Sent and refused requests of a key driven against a provider that sends no rate headers. */
  private record Discovery(List<Long> ok, List<Long> refused) {}

  /**
   * A key sends whenever allowed to a provider with a token bucket of {@code burst} requests refilled
   * at {@code rpm}, answering 200 after {@code latencyMs} and 429 at once, with "try again in" as the
   * only hint when {@code hint}.
   */
  private static Discovery discover(long rpm, double burst, long latencyMs, int maxInFlight, boolean hint, long durationMs) {
    KeyScheduler k = scheduler(0, 0, maxInFlight, 4);
    double serverLevel = burst;
    long refilledAt = 0;
    record Pending(long at, long sentAt, int status, Long retryAfter) {}
    PriorityQueue<Pending> inFlight = new PriorityQueue<>((x, y) -> Long.compare(x.at(), y.at()));
    List<Long> ok = new ArrayList<>();
    List<Long> refused = new ArrayList<>();
    for (long t = 0; t < durationMs; t += 5) {
      while (!inFlight.isEmpty() && inFlight.peek().at() <= t) {
        Pending p = inFlight.poll();
        k.onResponse(p.sentAt(), p.status(), new RateLimitHeaders(null, null, null, null, null, null, p.retryAfter()), 1, t);
      }
      while (k.freeSlots(t) > 0 && k.trySend(1, t) == 0) {
        serverLevel = Math.min(burst, serverLevel + (t - refilledAt) * rpm / 60_000.0);
        refilledAt = t;
        if (serverLevel >= 1) {
          serverLevel -= 1;
          ok.add(t);
          inFlight.add(new Pending(t + latencyMs, t, 200, null));
        } else {
          refused.add(t);
          Long wait = hint ? (long) Math.ceil((1 - serverLevel) * 60_000.0 / rpm) : null;
          inFlight.add(new Pending(t + 1, t, 429, wait));
        }
      }
    }
    return new Discovery(ok, refused);
  }

  /** 60 rpm (one a second, burst of two), 500 ms latency, no hint at all: settles near the limit with few refusals. */
  @Test
  void discoversAnUnknownLimitFrom429sAlone() {
    Discovery d = discover(60, 2, 500, 32, false, 300_000);
    long okLate = countIn(d.ok(), 150_000, 300_000);
    long refusedLate = countIn(d.refused(), 150_000, 300_000);
    assertTrue(okLate >= 135, "uses 90% of the 150 requests the limit allows: " + okLate);
    assertTrue(refusedLate <= okLate / 20, "under 5% refusals once settled: " + refusedLate + " vs " + okLate);
  }

  /** The benchmark's case: 600 rpm with a one-second burst at 2 s latency needs 20 in flight and finds them. */
  @Test
  void discoversAFastLimitAtHighLatencyWithin20Seconds() {
    Discovery d = discover(600, 10, 2_000, 64, true, 120_000);
    long okLate = countIn(d.ok(), 20_000, 120_000);
    long refusedLate = countIn(d.refused(), 20_000, 120_000);
    assertTrue(okLate >= 900, "uses 90% of the 1000 requests the limit allows after 20 s: " + okLate);
    assertTrue(refusedLate <= okLate / 50, "under 2% refusals: " + refusedLate + " vs " + okLate);
    assertTrue(countIn(d.ok(), 0, 20_000) >= 120, "and ramps up fast: " + countIn(d.ok(), 0, 20_000));
  }
}
