package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Holders and an owner of one key's budget on a simulated clock, as the budget verticles run them
 * (renewals when a slice has something to say, nudges, expiry), each holder with more work than the
 * key allows, against a provider that refuses past 600 requests per minute (one-second burst).
 */
class BudgetSharingTest {
  static final long RPM = 600;
  static final long T0 = 1_000_000;

  final BudgetLedger ledger = new BudgetLedger("key:k", T0 + BudgetLedger.RECOVERY_MS);
  final Map<String, BudgetSlice> holders = new LinkedHashMap<>();
  final ArrayDeque<String> toRenew = new ArrayDeque<>();
  long now = T0;
  double providerLevel = RPM / 60.0;
  long providerAt = T0;
  long admitted;
  long refused;

  void join(String name, long configuredRpm) {
    BudgetSlice s = new BudgetSlice("key:k", configuredRpm, 0, now);
    s.onUrgent(() -> toRenew.add(name));
    holders.put(name, s);
  }

  void renew(String name, boolean release) {
    BudgetSlice s = holders.get(name);
    if (s == null) return;
    Grant g = ledger.renew(name, s.report(now, release), now);
    s.apply(g, now, now);
    toRenew.addAll(ledger.toNudge(name, now));
  }

  /** Runs every holder flat out for {@code ms}, with the owner's answers arriving at once. */
  void run(long ms) {
    for (long end = now + ms; now < end; now++) {
      for (BudgetSlice s : holders.values()) {
        while (s.tryTake(100, now) == 0) provider();
      }
      if ((now - T0) % BudgetVerticle.CHECK_MS == 0) {
        holders.forEach((name, s) -> {
          if (s.tick(now)) toRenew.add(name);
        });
        if (ledger.expire(now)) toRenew.addAll(ledger.toNudge(null, now));
      }
      while (!toRenew.isEmpty()) renew(toRenew.poll(), false);
    }
  }

  private void provider() {
    providerLevel = Math.min(RPM / 60.0, providerLevel + (now - providerAt) * RPM / 60_000.0);
    providerAt = now;
    if (providerLevel >= 1) {
      providerLevel--;
      admitted++;
    } else {
      refused++;
    }
  }

  double share(String name) {
    return holders.get(name).share();
  }

  @Test
  void holdersThatComeAndGoNeverTogetherExceedTheKeyAndUseAllOfIt() {
    join("a", RPM);
    join("b", RPM);
    run(3_000 + BudgetLedger.RECOVERY_MS);
    long admittedAt = admitted;
    run(20_000);
    assertEquals(0.5, share("a"), 1e-9);
    assertEquals(0.5, share("b"), 1e-9);
    assertEquals(RPM / 3.0, admitted - admittedAt, RPM / 3.0 * 0.03, "20 s at the key's rate");

    join("c", RPM);
    join("d", RPM);
    run(5_000);
    for (String h : holders.keySet()) assertEquals(0.25, share(h), 1e-9, h);
    assertTrue(holders.get("c").sliceWaitMs() < 1_000, "a new holder sends within a second: " + holders.get("c").sliceWaitMs() + " ms");

    renew("d", true);
    holders.remove("d");
    run(5_000);
    for (String h : holders.keySet()) assertEquals(1.0 / 3, share(h), 1e-9, "d left: " + h);

    // c dies without a word: its third stays reserved until its lease is over, then goes to a and b.
    holders.remove("c");
    admittedAt = admitted;
    run(BudgetLedger.LEASE_MS + 3_000);
    assertEquals(0.5, share("a"), 1e-9);
    assertEquals(0.5, share("b"), 1e-9);
    double expectedAtLeast = (2.0 / 3 * BudgetLedger.LEASE_MS + 3_000) * RPM / 60_000.0;
    assertTrue(admitted - admittedAt >= expectedAtLeast * 0.97, admitted - admittedAt + " vs " + expectedAtLeast);

    run(20_000);
    assertEquals(0, refused, "never past the key's limits, whoever came and went");
  }

  @Test
  void limitsOneHolderLearnsReachEveryHolder() {
    join("a", 0);
    join("b", 0);
    now += BudgetLedger.RECOVERY_MS;
    // Limits unknown: each sends as a key alone would, and makes itself known to the owner.
    holders.forEach((name, s) -> assertEquals(0, s.tryTake(100, now)));
    now += 1_000;
    holders.forEach((name, s) -> assertTrue(s.tick(now), name));
    holders.keySet().forEach(name -> renew(name, false));
    assertEquals(2, ledger.holders().size());
    holders.get("a").learn(BudgetSliceTest.limits(RPM, 0), 100, now);
    while (!toRenew.isEmpty()) renew(toRenew.poll(), false);
    assertEquals(RPM, ledger.rpm());
    // b has not seen a single header, yet it paces at its share of the limit a announced.
    assertTrue(holders.get("b").share() != null, "b knows the limit: it paces at a share of it");
    run(5_000);
    assertEquals(RPM / 2, holders.get("b").rpm());
    assertEquals(RPM / 2, holders.get("a").rpm());
  }
}
