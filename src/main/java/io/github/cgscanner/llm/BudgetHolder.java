package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.BudgetProtocol;
import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Grants;
import io.github.cgscanner.protocol.BudgetProtocol.Renewal;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps this worker's {@link BudgetSlice}s renewed: every second it asks each slice whether the owner
 * should hear from it, and sends one renewal for all of those (none when this worker is the owner: it
 * renews by a call). Slices ask for an early renewal when they have news or work without a
 * share; owners ask with a nudge. One renewal per budget is in flight at a time. Runs on the budget
 * verticle's event loop.
 */
final class BudgetHolder {
  static final long RENEWAL_TIMEOUT_MS = 2_000;
  static final long MOVED_RETRY_MS = 100;

  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  private final Supplier<String> owner;
  private final BudgetOwner localOwner;
  private final BudgetStats stats;
  private final Set<String> renewing = new HashSet<>();
  private final Set<String> attached = new HashSet<>();
  /** The owner each budget was last renewed with: a new one hears from this holder at once. */
  private final Map<String, String> ownerSeen = new HashMap<>();

  BudgetHolder(Vertx vertx, Context context, String nodeId, Supplier<String> owner, BudgetOwner localOwner,
      BudgetStats stats) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.owner = owner;
    this.localOwner = localOwner;
    this.stats = stats;
  }

  void check(long now) {
    List<BudgetSlice> due = new ArrayList<>();
    for (BudgetSlice s : slices().values()) {
      attach(s);
      boolean due1 = s.tick(now);
      boolean moved = s.holds() && !Objects.equals(owner.get(), ownerSeen.get(s.id()));
      if (due1 || moved) due.add(s);
    }
    renew(due, false, now);
  }

  /** Gives every share back at once: this worker is leaving. */
  void releaseAll() {
    List<BudgetSlice> held = slices().values().stream().filter(BudgetSlice::holds).toList();
    renew(held, true, System.currentTimeMillis());
  }

  void onNudge(BudgetProtocol.Nudge nudge) {
    List<BudgetSlice> nudged = new ArrayList<>();
    nudge.budgets().forEach(id -> {
      BudgetSlice s = slices().get(id);
      if (s != null) nudged.add(s);
    });
    renew(nudged, false, System.currentTimeMillis());
  }

  void onCoolDown(BudgetProtocol.CoolDown c) {
    BudgetSlice s = slices().get(c.budget());
    if (s != null) s.applyCoolDown(c.ms(), System.currentTimeMillis());
  }

  private void renew(Collection<BudgetSlice> slices, boolean release, long now) {
    String to = owner.get();
    List<BudgetSlice> ready = new ArrayList<>();
    for (BudgetSlice s : slices) {
      if (renewing.contains(s.id()) || to == null) {
        s.markDue();
      } else {
        ready.add(s);
      }
    }
    if (!ready.isEmpty()) send(to, ready, release, now);
  }

  private void send(String owner, List<BudgetSlice> slices, boolean release, long now) {
    List<Report> reports = new ArrayList<>();
    for (BudgetSlice s : slices) {
      reports.add(s.report(now, release));
      renewing.add(s.id());
    }
    Renewal renewal = new Renewal(nodeId, reports);
    if (owner.equals(nodeId)) {
      apply(owner, slices, localOwner.renew(renewal, now), now);
      return;
    }
    stats.sent();
    vertx.eventBus().<JsonObject>request(Addresses.budgetRenewals(owner), renewal.toJson(),
            new DeliveryOptions().setSendTimeout(RENEWAL_TIMEOUT_MS))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            apply(owner, slices, Grants.fromJson(ar.result().body()), now);
          } else {
            slices.forEach(s -> {
              renewing.remove(s.id());
              s.unsent();
            });
          }
        });
  }

  private void apply(String owner, List<BudgetSlice> slices, Grants grants, long askedAt) {
    long now = System.currentTimeMillis();
    Map<String, BudgetSlice> byId = new HashMap<>();
    slices.forEach(s -> byId.put(s.id(), s));
    boolean moved = false;
    for (Grant g : grants.grants()) {
      BudgetSlice s = byId.get(g.budget());
      if (s == null) continue;
      s.apply(g, askedAt, now);
      if (g.moved()) {
        ownerSeen.remove(g.budget());
        moved = true;
      } else {
        ownerSeen.put(g.budget(), owner);
      }
    }
    slices.forEach(s -> renewing.remove(s.id()));
    if (moved) {
      vertx.setTimer(MOVED_RETRY_MS, t -> renew(slices.stream().filter(BudgetSlice::isDue).toList(), false, System.currentTimeMillis()));
    } else {
      List<BudgetSlice> again = slices.stream().filter(BudgetSlice::isDue).toList();
      if (!again.isEmpty()) context.runOnContext(v -> renew(again, false, System.currentTimeMillis()));
    }
  }

  /** A slice asks for a renewal from a key's event loop; it is made on this one. */
  private void attach(BudgetSlice s) {
    if (attached.add(s.id())) {
      s.onUrgent(() -> context.runOnContext(v -> renew(List.of(s), false, System.currentTimeMillis())));
    }
  }

  private LocalMap<String, BudgetSlice> slices() {
    return vertx.sharedData().getLocalMap(BudgetSlice.MAP);
  }

  /** Slices created before this verticle started are attached at once, not at the first check. */
  void attachAll() {
    slices().values().forEach(this::attach);
  }
}
