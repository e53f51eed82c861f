package io.github.cgscanner.report;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The SARIF rule (reportingDescriptor) of one ruleId, built from all findings that carry it.
 *
 * <p>GitHub derives an alert's security severity from its rule, not from the result, so a rule takes
 * the highest severity and confidence among its findings; each result keeps its own in {@code level}
 * and {@code properties}.
 */
final class SarifRule {
  private SarifRule() {}

  static JsonObject descriptor(String ruleId, List<Finding> findings) {
    Severity severity = Severity.INFO;
    String confidence = null;
    // A model rule is a CWE family: it is described as the family, whatever its findings' own CWEs.
    String cwe = ruleId.startsWith("llm/CWE-") ? ruleId.substring("llm/".length()) : null;
    String title = null;
    boolean oneTitle = true;
    for (Finding f : findings) {
      if (f.severity() != null && f.severity().atLeast(severity)) severity = f.severity();
      if (confidenceRank(f.confidence()) > confidenceRank(confidence)) confidence = f.confidence();
      if (cwe == null && CweNames.number(f.cwe()) != null) cwe = f.cwe();
      if (title == null) title = f.title();
      else if (!title.equals(f.title())) oneTitle = false;
    }
    String shortText = shortDescription(ruleId, cwe, oneTitle ? title : null);
    String fullText = fullDescription(ruleId, cwe, shortText);

    JsonArray tags = new JsonArray().add("security");
    if (cwe != null) tags.add("external/cwe/cwe-" + CweNames.number(cwe));
    JsonObject properties = new JsonObject()
        .put("tags", tags)
        .put("security-severity", securitySeverity(severity));
    String precision = precision(confidence);
    if (precision != null) properties.put("precision", precision);

    String cweUrl = cwe == null ? null : "https://cwe.mitre.org/data/definitions/" + CweNames.number(cwe) + ".html";
    JsonObject help = new JsonObject()
        .put("text", cweUrl == null ? fullText : fullText + " See " + cweUrl)
        .put("markdown", cweUrl == null ? fullText : fullText + " See [" + cwe + "](" + cweUrl + ").");
    JsonObject rule = new JsonObject()
        .put("id", ruleId)
        .put("name", pascalCase(shortText))
        .put("shortDescription", new JsonObject().put("text", shortText))
        .put("fullDescription", new JsonObject().put("text", fullText))
        .put("help", help)
        .put("defaultConfiguration", new JsonObject().put("level", level(severity)))
        .put("properties", properties);
    if (cweUrl != null) rule.put("helpUri", cweUrl);
    return rule;
  }

  private static String shortDescription(String ruleId, String cwe, String sharedTitle) {
    String tail = ruleId.contains("/") ? ruleId.substring(ruleId.indexOf('/') + 1) : ruleId;
    if (ruleId.startsWith("secrets/")) return "Hard-coded secret: " + tail;
    String cweName = CweNames.name(cwe);
    if (cweName != null) return cweName + " (" + cwe + ")";
    if (sharedTitle != null && !sharedTitle.isBlank()) return sharedTitle.strip();
    if (ruleId.startsWith("rules/")) return "Dangerous pattern: " + tail;
    return cwe != null ? "Weakness " + cwe : "Security issue " + ruleId;
  }

  private static String fullDescription(String ruleId, String cwe, String shortText) {
    if (ruleId.startsWith("secrets/")) {
      return shortText + ". A credential appears in the source; it is masked in this report. Revoke and rotate"
          + " it, then load it from a secret store or the environment.";
    }
    if (ruleId.startsWith("rules/")) {
      return shortText + ". A local check matched a known-dangerous construct; each result explains the case.";
    }
    if (ruleId.startsWith("llm/")) {
      return shortText + ". Reported by the model review" + (cwe != null ? " as " + cwe : "")
          + "; each result describes the specific issue and how to fix it.";
    }
    return shortText + ".";
  }

  static String level(Severity severity) {
    return switch (severity == null ? Severity.INFO : severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  static String securitySeverity(Severity severity) {
    return switch (severity == null ? Severity.INFO : severity) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "0.0";
    };
  }

  static String precision(String confidence) {
    return switch (confidenceRank(confidence)) {
      case 3 -> "high";
      case 2 -> "medium";
      case 1 -> "low";
      default -> null;
    };
  }

  private static int confidenceRank(String confidence) {
    if (confidence == null) return 0;
    return switch (confidence.toLowerCase(Locale.ROOT)) {
      case "high" -> 3;
      case "medium" -> 2;
      case "low" -> 1;
      default -> 0;
    };
  }

  private static String pascalCase(String text) {
    StringBuilder sb = new StringBuilder();
    for (String word : text.split("[^A-Za-z0-9]+")) {
      if (word.isEmpty()) continue;
      sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return sb.isEmpty() ? "SecurityIssue" : sb.toString();
  }
}
