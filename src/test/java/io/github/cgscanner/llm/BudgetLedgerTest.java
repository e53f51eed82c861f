package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
  static final long T0 = 1_000_000;
  /** After a new owner's recovery: it may grow shares. */
  static final long SETTLED = T0 + BudgetLedger.RECOVERY_MS;

  static Report saturated(double held) {
    return new Report("key:k", 600, 0, held, held, true, false, false, null, null, 0);
  }

  static Report starved() {
    return new Report("key:k", 600, 0, 0, 0, false, true, false, null, null, 0);
  }

  static Report using(double held, double usage) {
    return new Report("key:k", 600, 0, held, usage, false, false, false, null, null, 0);
  }

  static Report release() {
    return new Report("key:k", 600, 0, 0, 0, false, false, true, null, null, 0);
  }

  static double sum(BudgetLedger l, String... holders) {
    double s = 0;
    for (String h : holders) s += l.share(h);
    return s;
  }

  @Test
  void aHolderAloneGetsTheWholeBudgetOnceTheOwnerHasSettled() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    Grant early = l.renew("a", starved(), T0 + 10);
    assertEquals(0, early.share(), "a new owner grows nobody until every holder has reported");
    assertEquals(600, early.totalRpm());
    Grant g = l.renew("a", starved(), SETTLED);
    assertEquals(1.0, g.share(), 1e-9);
    assertFalse(g.moved());
  }

  @Test
  void aNewHolderGetsItsShareOnlyAfterTheOthersGaveTheirsUp() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    l.renew("a", saturated(0), SETTLED);
    assertEquals(1.0, l.share("a"), 1e-9);

    assertEquals(0, l.renew("b", starved(), SETTLED + 1).share(), "nothing is free yet");
    assertEquals(List.of("a"), l.toNudge("b", SETTLED + 1), "a holds more than its half: it is asked to renew");
    assertTrue(sum(l, "a", "b") <= 1 + 1e-9);

    assertEquals(0.5, l.renew("a", saturated(1), SETTLED + 5).share(), 1e-9);
    assertEquals(List.of("b"), l.toNudge("a", SETTLED + 5), "b may now grow");
    assertEquals(0.5, l.renew("b", starved(), SETTLED + 9).share(), 1e-9);
    assertEquals(1.0, sum(l, "a", "b"), 1e-9);
    assertEquals(List.of(), l.toNudge(null, SETTLED + 2_000), "divided: nobody to ask");
  }

  @Test
  void aHolderThatDoesNotSpendItsShareKeepsWhatItUsesAndTheRestGoesToTheOthers() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    l.renew("a", saturated(0), SETTLED);
    l.renew("b", starved(), SETTLED);
    l.renew("a", saturated(1), SETTLED + 1);
    l.renew("b", starved(), SETTLED + 2);
    // b's scan is almost done: it used 10% of the budget and was never held back.
    double b = l.renew("b", using(0.5, 0.1), SETTLED + 3_000).share();
    assertEquals(0.1 * BudgetLedger.WANT_MARGIN + BudgetLedger.EPSILON, b, 1e-9);
    assertEquals(List.of("a"), l.toNudge("b", SETTLED + 3_000));
    assertEquals(1 - b, l.renew("a", saturated(0.5), SETTLED + 3_001).share(), 1e-9);
  }

  @Test
  void aReleasedShareAndTheShareOfAHolderGoneSilentGoBackToTheOthers() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    for (String h : List.of("a", "b", "c")) l.renew(h, starved(), SETTLED);
    for (String h : List.of("a", "b", "c")) l.renew(h, saturated(l.share(h)), SETTLED + 1);
    for (String h : List.of("a", "b", "c")) l.renew(h, saturated(l.share(h)), SETTLED + 2);
    assertEquals(1.0 / 3, l.share("c"), 1e-9);

    assertEquals(0, l.renew("c", release(), SETTLED + 10).share());
    assertFalse(l.holders().contains("c"));
    assertEquals(List.of("a", "b"), l.toNudge("c", SETTLED + 10), "the freed third is offered at once");
    assertEquals(0.5, l.renew("a", saturated(1.0 / 3), SETTLED + 11).share(), 1e-9);

    // b dies (last heard of at SETTLED + 2): it renews no more, and its share is free once its lease is over.
    long later = SETTLED + 2 + BudgetLedger.LEASE_MS - 1;
    l.renew("a", saturated(0.5), later);
    assertFalse(l.expire(later), "b's lease still runs: its share stays reserved");
    assertEquals(0.5, l.renew("a", saturated(0.5), later).share(), 1e-9);
    long gone = SETTLED + 3 + BudgetLedger.LEASE_MS;
    assertTrue(l.expire(gone));
    assertEquals(List.of("a"), l.toNudge(null, gone));
    assertEquals(1.0, l.renew("a", saturated(0.5), gone + 1).share(), 1e-9);
  }

  @Test
  void aNewOwnerAdoptsWhatHoldersSayTheyHoldButNeverMoreThanTheWhole() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    assertEquals(0.7, l.renew("a", saturated(0.7), T0 + 1).share(), 1e-9);
    assertEquals(0.3, l.renew("b", saturated(0.6), T0 + 2).share(), 1e-9, "b's claim is cut to what is left");
    assertEquals(0.5, l.renew("a", saturated(0.7), T0 + 3).share(), 1e-9, "shrinking is allowed at once");
    assertEquals(0.3, l.renew("b", saturated(0.3), T0 + 4).share(), 1e-9, "growing waits for the end of the recovery");
    assertEquals(0.5, l.renew("b", saturated(0.3), SETTLED).share(), 1e-9);
  }

  @Test
  void aClaimToAShareIsIgnoredOnceTheOwnerHasSettled() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    l.renew("a", saturated(0), SETTLED);
    assertEquals(0, l.renew("b", saturated(0.8), SETTLED + 1).share(), "a holder the owner does not know holds nothing");
  }

  @Test
  void limitsAreTheLowestConfiguredOrALowerOneTheProviderAnnounced() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    Report announces = new Report("key:k", 0, 0, 0, 0, true, false, false, 500L, 40_000L, 0);
    Grant g = l.renew("a", announces, SETTLED);
    assertEquals(500, g.totalRpm());
    assertEquals(40_000, g.totalTpm());
    l.renew("b", starved(), SETTLED + 1);
    assertEquals(500, l.rpm(), "a configured 600 does not raise what the provider announced");
    assertEquals(List.of("a"), l.toNudge("b", SETTLED + 1), "new limits: every other holder renews");
    Report lower = new Report("key:k", 300, 0, 0, 0, true, false, false, 500L, null, 0);
    assertEquals(300, l.renew("c", lower, SETTLED + 2).totalRpm(), "a lower configured limit counts");
  }

  @Test
  void unknownLimitsAreSaidAsZero() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    Report unknown = new Report("key:k", 0, 0, 0, 0, false, true, false, null, null, 0);
    assertEquals(0, l.renew("a", unknown, SETTLED).totalRpm());
  }

  @Test
  void aCoolDownIsSpreadOnceWhateverHowManyHoldersReportIt() {
    BudgetLedger l = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
    assertTrue(l.spreadCoolDown(1_000, SETTLED));
    assertFalse(l.spreadCoolDown(900, SETTLED + 50), "covered by the one spread");
    assertTrue(l.spreadCoolDown(2_000, SETTLED + 50), "a longer one is news");
  }
}
