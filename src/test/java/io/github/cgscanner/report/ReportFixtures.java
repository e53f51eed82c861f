package io.github.cgscanner.report;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

final class ReportFixtures {
  private ReportFixtures() {}

  static JsonObject scan(String kind, String name, String commit) {
    return new JsonObject()
        .put("id", "Xq3vA9_scan-id")
        .put("status", "completed")
        .put("createdAt", "2025-03-01T10:00:00Z")
        .put("startedAt", "2025-03-01T10:00:01Z")
        .put("finishedAt", "2025-03-01T10:02:30.5Z")
        .put("source", new JsonObject().put("kind", kind).put("name", name).put("commit", commit))
        .put("model", "gpt-5.4-mini")
        .put("promptVersion", "3")
        .put("modelReview", "partial")
        .put("progress", new JsonObject().put("filesTotal", 42).put("filesScanned", 41).put("filesFailed", 1).put("filesSkipped", 7))
        .put("failedFiles", new JsonArray().add(new JsonObject().put("path", "src/broken file.js").put("reason", "model_error")))
        .put("usage", new JsonObject().put("requests", 12).put("promptTokens", 120_000).put("completionTokens", 8_000)
            .put("cachedTokens", 30_000).put("estimatedCostUsd", 0.1234))
        .put("error", null);
  }

  static Finding finding(String id, String ruleId, String cwe, Severity severity, String confidence, String path,
      int start, int end, String snippet, String source) {
    return new Finding(id, ruleId, cwe, "Title of " + ruleId, severity, confidence, path, start, end, snippet,
        "Description of the issue in " + path + ".", "Use a parameterised query.", source);
  }

  static List<Finding> mixed() {
    return List.of(
        finding("id-sql-1", "llm/CWE-89", "CWE-89", Severity.HIGH, "high", "src/db/Users.java", 12, 13,
            "String q = \"SELECT * FROM u WHERE id=\" + id;\nstmt.execute(q);", "llm"),
        finding("id-sql-2", "llm/CWE-89", "CWE-89", Severity.CRITICAL, "medium", "src/db/Orders.java", 40, 40,
            "db.query(\"DELETE FROM o WHERE k=\" + k);", "llm"),
        finding("id-secret", "secrets/aws-access-key", "CWE-798", Severity.CRITICAL, "high", "conf/app config.yml", 3, 3,
            "aws_key: AKIA****************", "secrets"),
        finding("id-info", "rules/debug-enabled", null, Severity.INFO, "low", "settings.py", 1, 1, "DEBUG = True", "rules"),
        finding("id-low", "llm/CWE-1004", null, Severity.LOW, "low", "web/app.js", 7, 9, null, "llm"));
  }
}
