package io.github.cgscanner.llm;

import io.github.cgscanner.llm.BudgetProtocol.CoolDown;
import io.github.cgscanner.llm.BudgetProtocol.Grant;
import io.github.cgscanner.llm.BudgetProtocol.Grants;
import io.github.cgscanner.llm.BudgetProtocol.Nudge;
import io.github.cgscanner.llm.BudgetProtocol.Renewal;
import io.github.cgscanner.llm.BudgetProtocol.Report;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The budgets this worker owns (Hazelcast's partition owner of the budget's name, so one member per
 * budget and another when it leaves): answers renewals from their ledgers, and tells holders when to
 * renew or cool down. Runs on the budget verticle's event loop.
 */
final class BudgetOwner {
  private final Vertx vertx;
  private final String nodeId;
  private final Function<String, String> ownerOf;
  private final BudgetStats stats;
  private final Map<String, BudgetLedger> ledgers = new HashMap<>();
  private BudgetHolder localHolder;

  BudgetOwner(Vertx vertx, String nodeId, Function<String, String> ownerOf, BudgetStats stats) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.ownerOf = ownerOf;
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
    for (Report r : renewal.reports()) {
      if (!nodeId.equals(ownerOf.apply(r.budget()))) {
        ledgers.remove(r.budget());
        grants.add(Grant.moved(r.budget()));
        continue;
      }
      BudgetLedger ledger = ledgers.computeIfAbsent(r.budget(), id -> new BudgetLedger(id, now));
      grants.add(ledger.renew(renewal.holder(), r, now));
      if (r.coolDownMs() > 0 && ledger.spreadCoolDown(r.coolDownMs(), now)) {
        for (String h : ledger.holders()) {
          if (!h.equals(renewal.holder())) tell(h, new CoolDown(r.budget(), r.coolDownMs()).toJson());
        }
      }
      ledger.toNudge(renewal.holder(), now).forEach(h -> nudges.computeIfAbsent(h, x -> new ArrayList<>()).add(r.budget()));
    }
    nudges.forEach((h, budgets) -> tell(h, new Nudge(budgets).toJson()));
    return new Grants(grants);
  }

  /** Forgets holders gone silent and budgets this worker no longer owns; holders below their target hear of the freed share. */
  void expire(long now) {
    ledgers.entrySet().removeIf(e -> !nodeId.equals(ownerOf.apply(e.getKey())));
    Map<String, List<String>> nudges = new HashMap<>();
    ledgers.forEach((id, ledger) -> {
      if (ledger.expire(now)) ledger.toNudge(null, now).forEach(h -> nudges.computeIfAbsent(h, x -> new ArrayList<>()).add(id));
    });
    nudges.forEach((h, budgets) -> tell(h, new Nudge(budgets).toJson()));
  }

  /** The local holder hears from its owner on the next turn of the event loop, never inside its own renewal. */
  private void tell(String holder, JsonObject message) {
    if (holder.equals(nodeId)) {
      vertx.runOnContext(v -> localHolder.onMessage(message));
    } else {
      stats.sent();
      vertx.eventBus().send(BudgetProtocol.holderAddress(holder), message);
    }
  }
}
