package io.github.cgscanner.domain;

import io.vertx.core.json.JsonObject;

/**
 * A finding as SPEC.md shapes it. {@code snippet} always comes from the redacted text. {@code state}
 * is {@code open} unless something set it aside ({@code rejected} by the verification pass);
 * {@code verification} is null for findings the pass did not look at.
 * {@code model} is the model whose answer held it (a pool may mix models); null for the local checks.
 */
public record Finding(
    String id,
    String ruleId,
    String cwe,
    String title,
    Severity severity,
    String confidence,
    String path,
    int startLine,
    int endLine,
    String snippet,
    String description,
    String recommendation,
    String source,
    FindingState state,
    Verification verification,
    String model) {

  public Finding {
    if (state == null) state = FindingState.OPEN;
  }

  /** A finding of the local checks: nothing has set it aside or verified it, no model produced it. */
  public Finding(String id, String ruleId, String cwe, String title, Severity severity, String confidence, String path,
      int startLine, int endLine, String snippet, String description, String recommendation, String source) {
    this(id, ruleId, cwe, title, severity, confidence, path, startLine, endLine, snippet, description, recommendation, source,
        FindingState.OPEN, null, null);
  }

  /** A finding of {@code model}'s answer, not verified yet. */
  public Finding(String id, String ruleId, String cwe, String title, Severity severity, String confidence, String path,
      int startLine, int endLine, String snippet, String description, String recommendation, String source, String model) {
    this(id, ruleId, cwe, title, severity, confidence, path, startLine, endLine, snippet, description, recommendation, source,
        FindingState.OPEN, null, model);
  }

  /** Whether it is reported as an issue: counted for {@code --fail-on}, a SARIF result, in the severity counts. */
  public boolean reported() {
    return state == FindingState.OPEN;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("ruleId", ruleId)
        .put("cwe", cwe)
        .put("title", title)
        .put("severity", severity == null ? null : severity.wire())
        .put("confidence", confidence)
        .put("path", path)
        .put("startLine", startLine)
        .put("endLine", endLine)
        .put("snippet", snippet)
        .put("description", description)
        .put("recommendation", recommendation)
        .put("source", source)
        .put("state", state.wire())
        .put("verification", verification == null ? null : verification.toJson())
        .put("model", model);
  }

  public static Finding fromJson(JsonObject j) {
    return new Finding(
        j.getString("id"),
        j.getString("ruleId"),
        j.getString("cwe"),
        j.getString("title"),
        Severity.parse(j.getString("severity")),
        j.getString("confidence"),
        j.getString("path"),
        j.getInteger("startLine"),
        j.getInteger("endLine"),
        j.getString("snippet"),
        j.getString("description"),
        j.getString("recommendation"),
        j.getString("source"),
        FindingState.parse(j.getString("state")),
        Verification.fromJson(j.getJsonObject("verification")),
        j.getString("model"));
  }

  public Finding withId(String newId) {
    return new Finding(newId, ruleId, cwe, title, severity, confidence, path, startLine, endLine, snippet,
        description, recommendation, source, state, verification, model);
  }

  /**
   * The finding as the verification pass leaves it: rejected (at the severity the review gave, so what
   * was set aside reads as it was found), or reported with the verdict and a severity the verifier
   * lowered (a higher one is not applied: the pass confirms, it does not escalate).
   */
  public Finding verified(Verification v, Severity suggested) {
    boolean lowers = suggested != null && severity != null && !suggested.atLeast(severity);
    Severity next = lowers && v.verdict() != Verification.Verdict.REJECTED ? suggested : severity;
    Verification recorded = next == severity ? v
        : new Verification(v.verdict(), v.confidence(), v.justification(), v.model(), severity, v.failure());
    FindingState nextState = v.verdict() == Verification.Verdict.REJECTED ? FindingState.REJECTED : state;
    return new Finding(id, ruleId, cwe, title, next, confidence, path, startLine, endLine, snippet, description,
        recommendation, source, nextState, recorded, model);
  }
}
