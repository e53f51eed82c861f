package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.BudgetProtocol.Grant;
import io.github.cgscanner.protocol.BudgetProtocol.Report;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The owner's account of one cluster-wide budget: its limits (the lowest configured, or lower ones the
 * provider announced) and the share of them each holder holds. Shares are fractions whose sum never
 * exceeds 1: what one holder gives up goes to another only once the first has been answered with its
 * smaller share. Holders that spend all they hold divide what the others leave equally (water-filling);
 * the others keep what they use plus a margin. An owner that just took over knows nothing, so for
 * {@link #RECOVERY_MS} it adopts what holders say they hold and grows nobody: by then every live holder
 * has reported. One instance per budget, used on the owner's event loop only.
 */
final class BudgetLedger {
  /** A holder unheard of for this long is gone and its share is free again; holders renew well before. */
  static final long LEASE_MS = 12_000;
  static final long RECOVERY_MS = 3_000;
  /** What a holder that does not spend all it holds keeps, over what it spent. */
  static final double WANT_MARGIN = 1.25;
  static final double EPSILON = 0.01;

  private static final class Holder {
    double granted;
    double want;
    long seenAt;
  }

  private final String budget;
  private final Map<String, Holder> holders = new TreeMap<>();
  private final long recoveringUntil;
  private long configuredRpm;
  private long configuredTpm;
  private long announcedRpm;
  private long announcedTpm;
  private long spreadUntil = Long.MIN_VALUE;
  /** The limits changed since holders were last told: every holder renews. */
  private boolean limitsChanged;

  /** @param recoveringUntil until when it adopts what holders say they hold and grows nobody (a new owner's first seconds) */
  BudgetLedger(String budget, long recoveringUntil) {
    this.budget = budget;
    this.recoveringUntil = recoveringUntil;
  }

  Grant renew(String holder, Report r, long now) {
    learn(r);
    if (r.release()) {
      holders.remove(holder);
      return new Grant(budget, 0, rpm(), tpm(), false);
    }
    Holder h = holders.get(holder);
    if (h == null) {
      h = new Holder();
      // Only a new owner trusts what a holder says it holds; otherwise a share comes out of what is free.
      if (recovering(now)) h.granted = Math.max(0, Math.min(r.held(), 1 - granted()));
      holders.put(holder, h);
    }
    h.seenAt = now;
    h.want = r.starved() || r.saturated() ? 1 : Math.min(1, r.usage() * WANT_MARGIN + EPSILON);
    double target = targets().get(holder);
    if (target < h.granted) {
      h.granted = target;
    } else if (!recovering(now)) {
      h.granted = Math.min(target, h.granted + free());
    }
    return new Grant(budget, h.granted, rpm(), tpm(), false);
  }

  /** Forgets holders unheard of for {@link #LEASE_MS}; @return whether any was. */
  boolean expire(long now) {
    return holders.values().removeIf(h -> h.seenAt < now - LEASE_MS);
  }

  /**
   * Holders other than {@code except} to ask for a renewal now: those holding more than their target
   * (so another may grow), those below it while some is free, or all when the limits changed. Each
   * such renewal brings its holder to its target or uses up what is free, so this ends.
   */
  List<String> toNudge(String except, long now) {
    Map<String, Double> targets = targets();
    boolean mayGrow = free() > EPSILON && !recovering(now);
    boolean all = limitsChanged;
    limitsChanged = false;
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Holder> e : holders.entrySet()) {
      double t = targets.get(e.getKey());
      double held = e.getValue().granted;
      boolean off = held > t + EPSILON || (mayGrow && held < t - EPSILON);
      if (!e.getKey().equals(except) && (all || off)) out.add(e.getKey());
    }
    return out;
  }

  /** Whether a cool-down of {@code ms} reported now is news to spread (not covered by one spread already). */
  boolean spreadCoolDown(long ms, long now) {
    if (now + ms <= spreadUntil + 100) return false;
    spreadUntil = now + ms;
    return true;
  }

  Set<String> holders() {
    return holders.keySet();
  }

  boolean isEmpty() {
    return holders.isEmpty();
  }

  double share(String holder) {
    Holder h = holders.get(holder);
    return h == null ? 0 : h.granted;
  }

  /** The request limit the budget is divided by; 0 = unknown, and holders pace themselves. */
  long rpm() {
    return effective(configuredRpm, announcedRpm);
  }

  long tpm() {
    return effective(configuredTpm, announcedTpm);
  }

  private boolean recovering(long now) {
    return now < recoveringUntil;
  }

  /** As a key alone does: a limit the provider announces counts when none is configured or it is lower. */
  private static long effective(long configured, long announced) {
    return announced > 0 && (configured <= 0 || announced < configured) ? announced : configured;
  }

  private void learn(Report r) {
    long rpm = rpm();
    long tpm = tpm();
    if (r.configuredRpm() > 0 && (configuredRpm <= 0 || r.configuredRpm() < configuredRpm)) configuredRpm = r.configuredRpm();
    if (r.configuredTpm() > 0 && (configuredTpm <= 0 || r.configuredTpm() < configuredTpm)) configuredTpm = r.configuredTpm();
    if (r.limitRequests() != null && r.limitRequests() > 0) announcedRpm = r.limitRequests();
    if (r.limitTokens() != null && r.limitTokens() > 0) announcedTpm = r.limitTokens();
    if (rpm != rpm() || tpm != tpm()) limitsChanged = true;
  }

  private double granted() {
    return holders.values().stream().mapToDouble(h -> h.granted).sum();
  }

  private double free() {
    return Math.max(0, 1 - granted());
  }

  /** Max-min fair division of the whole budget by what each holder wants. */
  Map<String, Double> targets() {
    List<Map.Entry<String, Holder>> byWant = new ArrayList<>(holders.entrySet());
    byWant.sort(Comparator.comparingDouble(e -> e.getValue().want));
    Map<String, Double> out = new HashMap<>();
    double left = 1;
    for (int i = 0; i < byWant.size(); i++) {
      double t = Math.min(byWant.get(i).getValue().want, left / (byWant.size() - i));
      out.put(byWant.get(i).getKey(), t);
      left -= t;
    }
    return out;
  }
}
