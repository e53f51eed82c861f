package io.github.cgscanner.llm;

import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.domain.Verification;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a verification answer. A verdict counts only for an id the task asked about, once (the first
 * one), with a known verdict, a confidence of 1 to 10 and a known severity; anything else is dropped
 * and counted. Ids asked about and not answered are left for the coordinator, which reports them
 * unverified: nothing the model says here can make a finding disappear except a valid rejection.
 */
public final class VerdictValidator {
  static final int MAX_JUSTIFICATION_CHARS = 2000;

  /** @param malformed the answer was not the JSON the schema asks for; {@code verdicts} is then empty */
  public record Result(boolean malformed, List<JsonObject> verdicts, int dropped) {}

  private VerdictValidator() {}

  public static Result validate(ReviewTask task, String content) {
    JsonArray items;
    try {
      Object parsed = content == null ? null : new JsonObject(content).getValue("verdicts");
      if (!(parsed instanceof JsonArray arr)) return new Result(true, List.of(), 0);
      items = arr;
    } catch (DecodeException | ClassCastException e) {
      return new Result(true, List.of(), 0);
    }
    Set<String> asked = new HashSet<>();
    task.verify().forEach(i -> asked.add(i.id()));
    List<JsonObject> kept = new ArrayList<>();
    int dropped = 0;
    for (Object item : items) {
      JsonObject v = item instanceof JsonObject o ? check(o) : null;
      if (v == null || !asked.remove(v.getString("id"))) {
        dropped++;
      } else {
        kept.add(v);
      }
    }
    return new Result(false, List.copyOf(kept), dropped);
  }

  private static JsonObject check(JsonObject v) {
    if (!(v.getValue("id") instanceof String id)
        || !(v.getValue("verdict") instanceof String verdictText)
        || !(v.getValue("confidence") instanceof Number confidence)
        || !(v.getValue("severity") instanceof String severityText)) {
      return null;
    }
    Verification.Verdict verdict = Verification.Verdict.parse(verdictText);
    Severity severity = Severity.parse(severityText);
    double c = confidence.doubleValue();
    if (verdict == null || severity == null || c != Math.rint(c) || c < 1 || c > 10) return null;
    String justification = v.getValue("justification") instanceof String s ? s.strip() : "";
    if (justification.length() > MAX_JUSTIFICATION_CHARS) justification = justification.substring(0, MAX_JUSTIFICATION_CHARS);
    return new JsonObject().put("id", id).put("verdict", verdict.wire()).put("confidence", (int) c)
        .put("justification", justification).put("severity", severity.wire());
  }
}
