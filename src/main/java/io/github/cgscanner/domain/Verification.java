package io.github.cgscanner.domain;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * What the verification pass concluded about one finding. {@code confidence} is 1–10, null when the
 * model gave no verdict; {@code originalSeverity} is the review's severity when the verifier lowered
 * it (else null); {@code failure} says why no verdict could be had (the finding is then reported
 * {@code uncertain}: the pass fails closed), else null.
 */
public record Verification(
    Verdict verdict, Integer confidence, String justification, String model, Severity originalSeverity, String failure) {

  public enum Verdict {
    CONFIRMED, REJECTED, UNCERTAIN;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @return the verdict, or null for anything else */
    public static Verdict parse(String text) {
      if (text == null) return null;
      for (Verdict v : values()) {
        if (v.wire().equals(text.trim().toLowerCase(Locale.ROOT))) return v;
      }
      return null;
    }
  }

  /** A verification that produced no verdict: the finding stays reported, as uncertain. */
  public static Verification failed(String model, String failure, String justification) {
    return new Verification(Verdict.UNCERTAIN, null, justification, model, null, failure);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("verdict", verdict.wire())
        .put("confidence", confidence)
        .put("justification", justification)
        .put("model", model)
        .put("originalSeverity", originalSeverity == null ? null : originalSeverity.wire())
        .put("failure", failure);
  }

  /** @return null for null or for a JSON object without a known verdict */
  public static Verification fromJson(JsonObject j) {
    if (j == null) return null;
    Verdict verdict = Verdict.parse(j.getString("verdict"));
    if (verdict == null) return null;
    return new Verification(verdict, j.getInteger("confidence"), j.getString("justification"), j.getString("model"),
        Severity.parse(j.getString("originalSeverity")), j.getString("failure"));
  }
}
