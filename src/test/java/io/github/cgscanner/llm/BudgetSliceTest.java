package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BudgetSliceTest {
  static final long T0 = 1_000_000;

  static RateLimitHeaders limits(long rpm, long tpm) {
    return new RateLimitHeaders(rpm, tpm, 100L, 100_000L, 10L, 10L, null);
  }

  /** Sends as many 100-token requests as the slice lets through in {@code ms}, one try per millisecond. */
  static int sendFor(BudgetSlice s, long from, long ms) {
    int sent = 0;
    for (long t = from; t < from + ms; t++) {
      while (s.tryTake(100, t) == 0) sent++;
    }
    return sent;
  }

  @Test
  void withConfiguredLimitsAKeyWaitsForAShareAndThenPacesAtIt() {
    BudgetSlice s = new BudgetSlice("key:k", 600, 0, T0);
    AtomicInteger urgent = new AtomicInteger();
    s.onUrgent(urgent::incrementAndGet);
    assertEquals(1, s.requestsAvailable(T0), "one task may be pulled: having work is what asks for a share");
    assertEquals(0, s.delayMs(100, T0));
    assertEquals(BudgetSlice.NO_SHARE_POLL_MS, s.tryTake(100, T0));
    assertEquals(BudgetSlice.NO_SHARE_POLL_MS, s.tryTake(100, T0 + 5));
    assertEquals(1, urgent.get(), "the owner is asked once");
    assertEquals(1, s.sliceWaits());
    Report r = s.report(T0 + 5, false);
    assertTrue(r.starved());
    assertEquals(600, r.configuredRpm());

    s.apply(new Grant("key:k", 0.5, 600, 0, false), T0 + 5, T0 + 8);
    assertEquals(300, s.rpm());
    assertEquals(0.5, s.share());
    assertTrue(s.tryTake(100, T0 + 8) > 0, "a new share starts empty: the others may have spent the burst");
    int sent = sendFor(s, T0 + 8, 10_000);
    assertEquals(50, sent, 1, "300 per minute for 10 s");
    assertEquals(208, s.sliceWaitMs(), 2, "from having work to the first send (one request of 300 per minute)");
  }

  @Test
  void announcedLimitsGoToTheOwnerAndNeverIntoTheSlicesPace() {
    BudgetSlice s = new BudgetSlice("key:k", 0, 0, T0);
    AtomicInteger urgent = new AtomicInteger();
    s.onUrgent(urgent::incrementAndGet);
    assertNull(s.share(), "limits unknown: no share, the slice paces itself like a key alone");
    assertEquals(Integer.MAX_VALUE, s.requestsAvailable(T0));
    assertEquals(0, s.tryTake(100, T0));
    assertTrue(s.tick(T0 + 1_000), "it makes itself known to the owner, to hear of the limits");
    s.report(T0 + 1_000, false);
    assertFalse(s.tick(T0 + 1_000), "and then has nothing to say");

    s.learn(limits(600, 90_000), 100, T0 + 1_001);
    assertEquals(1, urgent.get());
    assertEquals(1, s.requestsAvailable(T0 + 1_001), "the budget has limits now: no more sends without a share");
    assertEquals(BudgetSlice.NO_SHARE_POLL_MS, s.tryTake(100, T0 + 1_001));
    assertTrue(s.tick(T0 + 2_000));
    Report r = s.report(T0 + 2_000, false);
    assertEquals(600L, r.limitRequests());
    assertEquals(90_000L, r.limitTokens());
    s.learn(limits(600, 90_000), 100, T0 + 2_001);
    assertEquals(2, urgent.get(), "the same limits again are no news (the second ask was for a share)");
    s.apply(new Grant("key:k", 0.5, 600, 90_000, false), T0 + 2_000, T0 + 2_001);
    assertEquals(300, s.rpm(), "its share of the whole, not the whole");
    assertEquals(600L, s.report(T0 + 3_000, false).limitRequests(), "every report carries them, for a new owner");
  }

  @Test
  void aRefusalCoolsThisHolderDownAndIsReportedForTheOthers() {
    BudgetSlice s = new BudgetSlice("key:k", 600, 0, T0);
    s.apply(new Grant("key:k", 1, 600, 0, false), T0, T0);
    AtomicInteger urgent = new AtomicInteger();
    s.onUrgent(urgent::incrementAndGet);
    s.onRateLimited(700L, T0 + 1, T0 + 100);
    assertTrue(s.coolingDown(T0 + 500));
    assertEquals(1, urgent.get());
    assertEquals(700, s.report(T0 + 100, false).coolDownMs());

    BudgetSlice other = new BudgetSlice("key:k", 600, 0, T0);
    other.apply(new Grant("key:k", 0.5, 600, 0, false), T0, T0);
    other.applyCoolDown(600, T0 + 2_000);
    assertTrue(other.coolingDown(T0 + 2_500));
    assertTrue(other.tryTake(100, T0 + 2_500) > 0);
  }

  @Test
  void aLeaseThatIsNotRenewedStopsTheSends() {
    BudgetSlice s = new BudgetSlice("key:k", 600, 0, T0);
    s.apply(new Grant("key:k", 1, 600, 0, false), T0, T0);
    assertTrue(sendFor(s, T0, 1_000) > 0);
    long expired = T0 + BudgetLedger.LEASE_MS + 1;
    assertEquals(BudgetSlice.NO_SHARE_POLL_MS, s.tryTake(100, expired), "the owner may have given the share away");
    assertTrue(s.tick(expired), "starved: it asks again");
    s.apply(new Grant("key:k", 1, 600, 0, false), expired, expired);
    assertTrue(sendFor(s, expired, 1_000) > 0);
  }

  @Test
  void aSliceSaysWhenItNeedsMoreOrLessAndGivesAnIdleShareBack() {
    BudgetSlice s = new BudgetSlice("key:k", 600, 0, T0);
    s.apply(new Grant("key:k", 0.5, 600, 0, false), T0, T0);
    s.report(T0, false);
    sendFor(s, T0, 1_000);
    assertTrue(s.tick(T0 + 1_000), "held back by the slice: it now wants more");
    Report busy = s.report(T0 + 1_000, false);
    assertTrue(busy.saturated());
    assertEquals(0.45, busy.usage(), 0.06, "a new share starts empty");
    sendFor(s, T0 + 1_000, 1_000);
    assertFalse(s.tick(T0 + 2_000), "still saturated: no news");

    long t = T0 + 2_000;
    for (int i = 1; i <= BudgetSlice.QUIET_INTERVALS; i++) {
      t += 1_000;
      assertEquals(i == BudgetSlice.QUIET_INTERVALS, s.tick(t), "interval " + i);
    }
    Report quiet = s.report(t, false);
    assertFalse(quiet.saturated());
    assertTrue(quiet.release(), "idle for as long: the share goes back");
    s.apply(new Grant("key:k", 0, 600, 0, false), t, t);
    assertFalse(s.holds());
    assertFalse(s.tick(t + 1_000), "an idle holder without a share costs no message");
  }

  @Test
  void anAnswerFromAWorkerThatNoLongerOwnsTheBudgetMakesTheSliceAskAgain() {
    BudgetSlice s = new BudgetSlice("key:k", 600, 0, T0);
    s.apply(new Grant("key:k", 0.5, 600, 0, false), T0, T0);
    s.report(T0, false);
    s.apply(Grant.moved("key:k"), T0 + 1, T0 + 1);
    assertEquals(0.5, s.share(), "the lease it has still runs");
    assertTrue(s.isDue());
  }
}
