package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of cluster-wide key budgets, with their JSON, in one place. A holder (a worker with
 * keys of a budget) sends a {@link Renewal} to the budget's owner and gets {@link Grants}; an owner
 * sends a holder a {@link Nudge} (renew now: your share changed) or a {@link CoolDown} (another holder
 * was refused), each on an address of its own. Budgets are named by hashes, never keys.
 */
public final class BudgetProtocol {
  private BudgetProtocol() {}

  /**
   * One holder's account of one budget.
   *
   * @param held the share it holds now (what a new owner adopts)
   * @param usage the share of the budget it spent over the last interval
   * @param saturated it spent all it held and waited for more
   * @param starved it has work and no share at all
   * @param release it is idle or leaving: its share goes back
   * @param limitRequests a request limit the provider announced that the owner may not know yet, else null
   * @param coolDownMs a cool-down the provider asked for with a 429, for every holder; 0 = none
   */
  public record Report(String budget, long configuredRpm, long configuredTpm, double held, double usage, boolean saturated,
      boolean starved, boolean release, Long limitRequests, Long limitTokens, long coolDownMs) {

    public JsonObject toJson() {
      return new JsonObject().put("budget", budget).put("configuredRpm", configuredRpm).put("configuredTpm", configuredTpm)
          .put("held", held).put("usage", usage).put("saturated", saturated).put("starved", starved).put("release", release)
          .put("limitRequests", limitRequests).put("limitTokens", limitTokens).put("coolDownMs", coolDownMs);
    }

    public static Report fromJson(JsonObject j) {
      return new Report(j.getString("budget"), j.getLong("configuredRpm", 0L), j.getLong("configuredTpm", 0L),
          j.getDouble("held", 0.0), j.getDouble("usage", 0.0), j.getBoolean("saturated", false), j.getBoolean("starved", false),
          j.getBoolean("release", false), j.getLong("limitRequests"), j.getLong("limitTokens"), j.getLong("coolDownMs", 0L));
    }
  }

  public record Renewal(String holder, List<Report> reports) {
    public JsonObject toJson() {
      JsonArray a = new JsonArray();
      reports.forEach(r -> a.add(r.toJson()));
      return new JsonObject().put("holder", holder).put("reports", a);
    }

    public static Renewal fromJson(JsonObject j) {
      List<Report> reports = new ArrayList<>();
      j.getJsonArray("reports", new JsonArray()).forEach(o -> reports.add(Report.fromJson((JsonObject) o)));
      return new Renewal(j.getString("holder"), reports);
    }
  }

  /**
   * @param share the fraction of the budget's rates the holder may spend (0 = none for now)
   * @param totalRpm the budget's request limit as the owner knows it; 0 = unknown (the holder paces itself)
   * @param moved the addressee does not own this budget: look the owner up again
   */
  public record Grant(String budget, double share, long totalRpm, long totalTpm, boolean moved) {
    public static Grant moved(String budget) {
      return new Grant(budget, 0, 0, 0, true);
    }

    public JsonObject toJson() {
      return new JsonObject().put("budget", budget).put("share", share).put("totalRpm", totalRpm).put("totalTpm", totalTpm)
          .put("moved", moved);
    }

    public static Grant fromJson(JsonObject j) {
      return new Grant(j.getString("budget"), j.getDouble("share", 0.0), j.getLong("totalRpm", 0L), j.getLong("totalTpm", 0L),
          j.getBoolean("moved", false));
    }
  }

  public record Grants(List<Grant> grants) {
    public JsonObject toJson() {
      JsonArray a = new JsonArray();
      grants.forEach(g -> a.add(g.toJson()));
      return new JsonObject().put("grants", a);
    }

    public static Grants fromJson(JsonObject j) {
      List<Grant> grants = new ArrayList<>();
      j.getJsonArray("grants", new JsonArray()).forEach(o -> grants.add(Grant.fromJson((JsonObject) o)));
      return new Grants(grants);
    }
  }

  public record Nudge(List<String> budgets) {
    public JsonObject toJson() {
      return new JsonObject().put("budgets", new JsonArray(new ArrayList<>(budgets)));
    }

    public static Nudge fromJson(JsonObject j) {
      List<String> budgets = new ArrayList<>();
      j.getJsonArray("budgets", new JsonArray()).forEach(o -> budgets.add((String) o));
      return new Nudge(budgets);
    }
  }

  public record CoolDown(String budget, long ms) {
    public JsonObject toJson() {
      return new JsonObject().put("budget", budget).put("ms", ms);
    }

    public static CoolDown fromJson(JsonObject j) {
      return new CoolDown(j.getString("budget"), j.getLong("ms", 0L));
    }
  }
}
