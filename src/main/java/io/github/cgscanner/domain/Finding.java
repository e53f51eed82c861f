package io.github.cgscanner.domain;

import io.vertx.core.json.JsonObject;

/**
 * A finding as SPEC.md shapes it. {@code snippet} always comes from the redacted text. {@code model}:
 * the model whose answer held it (a pool may mix models); null for the local checks.
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
    String model) {

  /** A finding of the local checks: no model produced it. */
  public Finding(String id, String ruleId, String cwe, String title, Severity severity, String confidence, String path,
      int startLine, int endLine, String snippet, String description, String recommendation, String source) {
    this(id, ruleId, cwe, title, severity, confidence, path, startLine, endLine, snippet, description, recommendation, source, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("ruleId", ruleId)
        .put("cwe", cwe)
        .put("title", title)
        .put("severity", severity.wire())
        .put("confidence", confidence)
        .put("path", path)
        .put("startLine", startLine)
        .put("endLine", endLine)
        .put("snippet", snippet)
        .put("description", description)
        .put("recommendation", recommendation)
        .put("source", source)
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
        j.getString("model"));
  }

  public Finding withId(String newId) {
    return new Finding(newId, ruleId, cwe, title, severity, confidence, path, startLine, endLine, snippet,
        description, recommendation, source, model);
  }
}
