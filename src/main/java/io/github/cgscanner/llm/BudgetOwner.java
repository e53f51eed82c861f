package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.BudgetProtocol;
import io.github.cgscanner.protocol.BudgetProtocol.CoolDown;
import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Grants;
import io.github.cgscanner.protocol.BudgetProtocol.Nudge;
import io.github.cgscanner.protocol.BudgetProtocol.Renewal;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The budgets' owner when this worker is it (one member of the cluster at a time, another when it
 * leaves): answers renewals from one ledger per budget, and tells holders when to renew or cool down.
 * Runs on the budget verticle's event loop.
 */
final class BudgetOwner {
  private final Vertx vertx;
  private final String nodeId;
  private final Supplier<String> owner;
  private final BudgetStats stats;
  private final Map<String, BudgetLedger> ledgers = new HashMap<>();
  private BudgetHolder localHolder;
  private boolean checked;
  private boolean owning;
  /** Until when a new ledger adopts what holders say they hold: an owner that took over knows nothing. */
  private long recoveringUntil;

  BudgetOwner(Vertx vertx, String nodeId, Supplier<String> owner, BudgetStats stats) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.owner = owner;
    this.stats = stats;
  }

  void localHolder(BudgetHolder holder) {
    this.localHolder = holder;
  }

  void onRenewal(Message<JsonObject> m) {
    Grants grants = renew(Renewal.fromJson(m.body()), System.currentTimeMillis());
    stats.sent();
    m.reply(grants.toJson());
  }

  Grants renew(Renewal renewal, long now) {
    List<Grant> grants = new ArrayList<>();
    Map<String, List<String>> nudges = new HashMap<>();
    boolean mine = nodeId.equals(owner.get());
    for (Report r : renewal.reports()) {
      if (!mine) {
        grants.add(Grant.moved(r.budget()));
        continue;
      }
      BudgetLedger ledger = ledgers.computeIfAbsent(r.budget(), id -> new BudgetLedger(id, recoveringUntil));
      grants.add(ledger.renew(renewal.holder(), r, now));
      if (r.coolDownMs() > 0 && ledger.spreadCoolDown(r.coolDownMs(), now)) {
        for (String h : ledger.holders()) {
          if (!h.equals(renewal.holder())) tell(h, new CoolDown(r.budget(), r.coolDownMs()));
        }
      }
      ledger.toNudge(renewal.holder(), now).forEach(h -> nudges.computeIfAbsent(h, x -> new ArrayList<>()).add(r.budget()));
    }
    nudges.forEach((h, budgets) -> tell(h, new Nudge(budgets)));
    return new Grants(grants);
  }

  /**
   * Every second: notices when this worker became the owner, or stopped being it (its ledgers go);
   * forgets holders gone silent, and tells those below their target of the share that freed.
   */
  void check(long now) {
    boolean nowOwning = nodeId.equals(owner.get());
    if (nowOwning && !owning) {
      // The oldest member at its own start was the first: no other owner can have granted anything.
      recoveringUntil = checked ? now + BudgetLedger.RECOVERY_MS : Long.MIN_VALUE;
    }
    if (!nowOwning) ledgers.clear();
    owning = nowOwning;
    checked = true;
    Map<String, List<String>> nudges = new HashMap<>();
    ledgers.forEach((id, ledger) -> {
      if (ledger.expire(now)) ledger.toNudge(null, now).forEach(h -> nudges.computeIfAbsent(h, x -> new ArrayList<>()).add(id));
    });
    nudges.forEach((h, budgets) -> tell(h, new Nudge(budgets)));
  }

  /** The local holder hears from its owner on the next turn of the event loop, never inside its own renewal. */
  private void tell(String holder, Nudge nudge) {
    if (holder.equals(nodeId)) {
      vertx.runOnContext(v -> localHolder.onNudge(nudge));
    } else {
      stats.sent();
      vertx.eventBus().send(Addresses.budgetNudges(holder), nudge.toJson());
    }
  }

  private void tell(String holder, CoolDown coolDown) {
    if (holder.equals(nodeId)) {
      vertx.runOnContext(v -> localHolder.onCoolDown(coolDown));
    } else {
      stats.sent();
      vertx.eventBus().send(Addresses.budgetCoolDowns(holder), coolDown.toJson());
    }
  }
}
