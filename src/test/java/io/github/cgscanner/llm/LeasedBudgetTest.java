package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holders of one key on a simulated clock, taking leases from one {@link BudgetBucket} the way the
 * database keeps it, each lease answered a few millis later (a database round trip).
 */
class LeasedBudgetTest {
  static final long ROUND_TRIP_MS = 4;

  long now = 1_000_000;

  /** The database: one bucket, leases answered after a round trip. */
  final class Bucket implements LeasedBudget.Source {
    BudgetBucket row;
    final ArrayDeque<Runnable> answers = new ArrayDeque<>();
    final List<Long> answerAt = new ArrayList<>();
    int leases;
    final java.util.Map<Integer, Integer> granted = new java.util.TreeMap<>();

    @Override
    public Future<BudgetBucket.Grant> lease(String budgetId, double rpm, double tpm, int want, long cost, long coolDownMs) {
      leases++;
      Promise<BudgetBucket.Grant> p = Promise.promise();
      answers.add(() -> {
        if (row == null || row.rpm() <= 0 && row.tpm() <= 0) row = BudgetBucket.fresh(rpm, tpm, now);
        BudgetBucket.Taken t = row.take(rpm, tpm, want, cost, coolDownMs, now);
        row = t.next();
        granted.merge(t.grant().requests(), 1, Integer::sum);
        p.complete(t.grant());
      });
      answerAt.add(now + ROUND_TRIP_MS);
      return p.future();
    }

    void answerDue() {
      while (!answerAt.isEmpty() && answerAt.get(0) <= now) {
        answerAt.remove(0);
        answers.poll().run();
      }
    }
  }

  @Test
  void twoHoldersOfASlowKeyStillUseMostOfIt() {
    Bucket db = new Bucket();
    List<LeasedBudget> holders = List.of(new LeasedBudget("key:abc", 120, 0, db, () -> now), new LeasedBudget("key:abc", 120, 0, db, () -> now));
    int sent = 0;
    long start = now;
    for (; now < start + 60_000; now++) {
      db.answerDue();
      for (LeasedBudget h : holders) {
        while (h.tryTake(100, now) == 0) sent++;
      }
    }
    assertTrue(sent <= 122 && sent >= 0.9 * 120, "sent " + sent + " of 120 in a minute, " + db.leases + " asks, sizes " + db.granted);
  }

  @Test
  void holdersOfOneKeyTogetherStayWithinItsRateAndUseMostOfIt() {
    Bucket db = new Bucket();
    List<LeasedBudget> holders = new ArrayList<>();
    for (int i = 0; i < 3; i++) holders.add(new LeasedBudget("key:abc", 600, 0, db, () -> now));
    List<Long> sends = new ArrayList<>();
    long start = now;
    for (; now < start + 60_000; now++) {
      db.answerDue();
      // Every holder always has work: it sends whenever its budget lets it.
      for (LeasedBudget h : holders) {
        while (h.tryTake(100, now) == 0) sends.add(now);
      }
    }
    // 600 rpm = 10/s; the bucket holds one second: at most 10 + 600 in the minute, at most 20 in any second.
    assertTrue(sends.size() <= 610, "sent " + sends.size());
    assertTrue(sends.size() >= 0.9 * 600, "sent " + sends.size() + ": most of the rate is used");
    int worst = 0;
    for (int i = 0, j = 0; i < sends.size(); i++) {
      while (sends.get(i) - sends.get(j) >= 1_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    assertTrue(worst <= 20, "at most two seconds' worth in any second: " + worst);
    int withRequests = db.leases - db.granted.getOrDefault(0, 0);
    String sizes = db.leases + " asks for " + sends.size() + " requests, lease sizes " + db.granted;
    assertTrue(withRequests < sends.size() / 2, "leases of several requests: " + sizes);
    assertTrue(db.leases < sends.size(), "fewer database round trips than requests: " + sizes);
  }

  @Test
  void aCoolDownOfOneHolderReachesTheOthersWithTheirNextLease() {
    Bucket db = new Bucket();
    LeasedBudget a = new LeasedBudget("key:abc", 600, 0, db, () -> now);
    LeasedBudget b = new LeasedBudget("key:abc", 600, 0, db, () -> now);
    a.tryTake(100, now);
    b.tryTake(100, now);
    now += 1_000;
    db.answerDue();
    a.onRateLimited(5_000L, now - 10, now);
    now += ROUND_TRIP_MS;
    db.answerDue();
    now += 2_000;
    // b's lease lapsed: its next one brings a's cool-down
    b.tryTake(100, now);
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertTrue(b.coolingDown(now), "b waits for a's 429");
    assertTrue(b.delayMs(100, now) >= 2_900, "until the provider's retry-after ends: " + b.delayMs(100, now));
  }

  @Test
  void untilALimitIsKnownOneRequestProbesAndTheKeyIsThenPacedAsAlone() {
    Bucket db = new Bucket();
    LeasedBudget budget = new LeasedBudget("key:abc", 0, 0, db, () -> now);
    assertTrue(budget.tryTake(100, now) > 0, "the bucket is looked up first: another holder may know the limits");
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertEquals(0, budget.tryTake(100, now), "no limit known: one request alone");
    assertTrue(budget.tryTake(100, now) > 0, "no second one before the first is answered");
    budget.learn(RateLimitHeaders.none(), 100, now);
    assertEquals(0, budget.tryTake(100, now), "no limit in the answer: paced as alone");
    assertEquals(0, budget.tryTake(100, now));
    budget.learn(new RateLimitHeaders(300L, null, 100L, null, null, null, null), 100, now);
    int leases = db.leases;
    assertTrue(budget.tryTake(100, now) > 0, "a known limit is divided: a lease first");
    assertEquals(leases + 1, db.leases);
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertTrue(budget.tryTake(100, now) > 0, "the bucket starts empty: the holders may have spent the provider's burst");
    now += 1_000;
    budget.tryTake(100, now);
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertEquals(0, budget.tryTake(100, now));
    assertEquals(300, budget.rpm());

    LeasedBudget later = new LeasedBudget("key:abc", 0, 0, db, () -> now);
    later.delayMs(100, now);
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertEquals(300, later.rpm(), "a new holder learns the limit from the bucket");
  }

  @Test
  void aLeaseLapsesSoAnIdleHolderKeepsLittle() {
    Bucket db = new Bucket();
    LeasedBudget idle = new LeasedBudget("key:abc", 600, 0, db, () -> now);
    for (int i = 0; i < 100; i++, now += 100) {
      assertEquals(0, idle.delayMs(100, now), "work may be taken on");
      assertEquals(5, idle.requestsAvailable(now), "about a lease's worth");
    }
    assertEquals(0, db.leases, "a key with no work to send asks the database nothing");
    assertTrue(idle.tryTake(100, now) > 0, "work to send: a lease first");
    now += ROUND_TRIP_MS;
    db.answerDue();
    now += 1_000;
    assertTrue(idle.tryTake(100, now) > 0, "the new bucket started empty");
    now += ROUND_TRIP_MS;
    db.answerDue();
    assertEquals(0, idle.tryTake(100, now), "half a second of 600 rpm: 5");
    assertEquals(4, idle.requestsAvailable(now));
    now += LeasedBudget.LEASE_MS;
    assertTrue(idle.tryTake(100, now) > 0, "lapsed: a new lease first");
  }
}
