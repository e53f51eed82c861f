package io.github.cgscanner.report;

import io.github.cgscanner.domain.CweFamilies;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.domain.ModelReview;
import io.github.cgscanner.domain.ScanStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scan as a SARIF 2.1.0 log, shaped for GitHub code scanning upload.
 *
 * <p>SARIF forbids null where it expects a string, so every optional value is omitted when absent.
 * Paths become relative URI references against {@code %SRCROOT%}, percent-encoded so that spaces,
 * {@code #}, {@code ?} or a colon in the first segment cannot turn them into something else.
 */
public final class SarifReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String TOOL_NAME = "chatgpt-security-scanner";
  static final String INFORMATION_URI = "https://github.com/cgscanner/chatgpt-security-scanner";
  static final String SRCROOT = "%SRCROOT%";

  private SarifReport() {}

  /** @param findings the scan's findings; only those reported become results (a finding the verification rejected does not) */
  public static JsonObject build(JsonObject scan, List<Finding> findings, String toolVersion) {
    JsonObject s = scan == null ? new JsonObject() : scan;
    List<Finding> reported = findings.stream().filter(Finding::reported).toList();
    Map<String, List<Finding>> byRule = new TreeMap<>();
    for (Finding f : reported) byRule.computeIfAbsent(ruleId(f), k -> new ArrayList<>()).add(f);
    JsonArray rules = new JsonArray();
    Map<String, Integer> ruleIndex = new HashMap<>();
    byRule.forEach((id, list) -> {
      ruleIndex.put(id, rules.size());
      rules.add(SarifRule.descriptor(id, list));
    });

    JsonObject driver = new JsonObject().put("name", TOOL_NAME).put("informationUri", INFORMATION_URI);
    putText(driver, "version", toolVersion);
    driver.put("rules", rules);

    JsonArray results = new JsonArray();
    for (Finding f : reported) results.add(result(f, ruleIndex.get(ruleId(f))));

    JsonObject run = new JsonObject()
        .put("tool", new JsonObject().put("driver", driver))
        .put("invocations", new JsonArray().add(invocation(s)))
        .put("originalUriBaseIds", new JsonObject().put(SRCROOT, sourceRoot(s)))
        .put("results", results);
    String scanId = s.getString("id");
    if (scanId != null && !scanId.isBlank()) {
      // GitHub takes everything up to the last '/' as the analysis category: a fixed category lets a new
      // upload close the alerts that a previous scan reported and this one no longer does.
      run.put("automationDetails", new JsonObject().put("id", TOOL_NAME + "/" + scanId));
    }
    JsonObject provenance = versionControl(s);
    if (provenance != null) run.put("versionControlProvenance", new JsonArray().add(provenance));
    JsonObject properties = runProperties(s);
    if (!properties.isEmpty()) run.put("properties", properties);

    return new JsonObject().put("$schema", SCHEMA).put("version", "2.1.0").put("runs", new JsonArray().add(run));
  }

  /**
   * A model finding's rule is its CWE family ({@code llm/CWE-89} for CWE-564 too), like its id: GitHub
   * tracks an alert by rule and fingerprint, and a model that names the same weakness differently from
   * one run to the next must not close one alert and open another.
   */
  static String ruleId(Finding f) {
    if ("llm".equals(f.source()) && f.cwe() != null) {
      String family = CweFamilies.family(f.cwe());
      if (!CweFamilies.NONE.equals(family)) return "llm/" + family;
    }
    return f.ruleId() == null || f.ruleId().isBlank() ? "unknown" : f.ruleId();
  }

  private static JsonObject result(Finding f, int ruleIndex) {
    int start = Math.max(1, f.startLine());
    JsonObject region = new JsonObject().put("startLine", start).put("endLine", Math.max(start, f.endLine()));
    if (f.snippet() != null && !f.snippet().isEmpty()) region.put("snippet", new JsonObject().put("text", f.snippet()));
    JsonObject physical = new JsonObject().put("artifactLocation", artifact(f.path())).put("region", region);

    JsonObject result = new JsonObject()
        .put("ruleId", ruleId(f))
        .put("ruleIndex", ruleIndex)
        .put("level", SarifRule.level(f.severity()))
        .put("message", new JsonObject().put("text", message(f)))
        .put("locations", new JsonArray().add(new JsonObject().put("physicalLocation", physical)));
    if (f.id() != null && !f.id().isBlank()) {
      result.put("partialFingerprints", new JsonObject().put("primaryLocationLineHash", f.id()));
    }
    JsonObject properties = new JsonObject();
    if (f.severity() != null) properties.put("severity", f.severity().wire());
    putText(properties, "confidence", f.confidence());
    putText(properties, "source", f.source());
    putText(properties, "cwe", f.cwe());
    if (f.verification() != null) {
      properties.put("verification", f.verification().verdict().wire());
      if (f.verification().confidence() != null) properties.put("verificationConfidence", f.verification().confidence());
      if (f.verification().originalSeverity() != null) properties.put("reviewSeverity", f.verification().originalSeverity().wire());
    }
    putText(properties, "model", f.model());
    if (!properties.isEmpty()) result.put("properties", properties);
    return result;
  }

  private static String message(Finding f) {
    List<String> paragraphs = new ArrayList<>();
    if (f.title() != null && !f.title().isBlank()) paragraphs.add(f.title().strip());
    if (f.description() != null && !f.description().isBlank()) paragraphs.add(f.description().strip());
    if (f.recommendation() != null && !f.recommendation().isBlank()) {
      paragraphs.add("Recommendation: " + f.recommendation().strip());
    }
    return paragraphs.isEmpty() ? ruleId(f) : String.join("\n\n", paragraphs);
  }

  private static JsonObject artifact(String path) {
    return new JsonObject().put("uri", uriReference(path == null ? "" : path)).put("uriBaseId", SRCROOT);
  }

  /** Percent-encodes everything but unreserved characters, '/' and harmless sub-delimiters. */
  static String uriReference(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 16);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/!$&'()*+,;=@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static JsonObject invocation(JsonObject scan) {
    // Successful only when nothing promised was left out: a partial review must not pass for a clean run.
    String review = scan.getString("modelReview");
    boolean successful = ScanStatus.COMPLETED.wire().equals(scan.getString("status"))
        && (ModelReview.DONE.wire().equals(review) || ModelReview.SKIPPED.wire().equals(review));
    JsonObject invocation = new JsonObject().put("executionSuccessful", successful);
    putTime(invocation, "startTimeUtc", scan.getValue("startedAt"));
    putTime(invocation, "endTimeUtc", scan.getValue("finishedAt"));
    JsonArray notifications = new JsonArray();
    if ("skipped".equals(review)) {
      notifications.add(notification("warning", "The model review was skipped: only local checks ran.", null));
    } else if ("partial".equals(review)) {
      notifications.add(notification("warning", "The model review was partial: some files were not reviewed.", null));
    }
    if (scan.getValue("verification") instanceof JsonObject v && "partial".equals(v.getValue("status"))) {
      notifications.add(notification("warning", "The verification pass was partial: " + v.getValue("failed")
          + " finding(s) could not be verified and are reported unverified.", null));
    }
    if (scan.getValue("failedFiles") instanceof JsonArray failed) {
      for (Object o : failed) {
        if (o instanceof JsonObject ff && ff.getValue("path") instanceof String path) {
          String reason = ff.getValue("reason") instanceof String r ? r : "unknown reason";
          notifications.add(notification("warning", "Not reviewed: " + path + " (" + reason + ")", path));
        }
      }
    }
    if (scan.getValue("error") instanceof JsonObject error) {
      String code = error.getValue("code") instanceof String c ? c : "error";
      String text = error.getValue("message") instanceof String m ? m : "the scan failed";
      notifications.add(notification("error", "Scan failed (" + code + "): " + text, null));
    }
    if (!notifications.isEmpty()) invocation.put("toolExecutionNotifications", notifications);
    return invocation;
  }

  private static JsonObject notification(String level, String text, String path) {
    JsonObject n = new JsonObject().put("level", level).put("message", new JsonObject().put("text", text));
    if (path != null) {
      n.put("locations", new JsonArray().add(new JsonObject()
          .put("physicalLocation", new JsonObject().put("artifactLocation", artifact(path)))));
    }
    return n;
  }

  private static void putTime(JsonObject target, String key, Object value) {
    if (!(value instanceof String text)) return;
    try {
      OffsetDateTime.parse(text);
      target.put(key, text);
    } catch (DateTimeParseException e) {
      // not an ISO-8601 instant: SARIF requires date-time, so the property is left out
    }
  }

  private static JsonObject sourceRoot(JsonObject scan) {
    JsonObject source = scan.getValue("source") instanceof JsonObject o ? o : new JsonObject();
    String kind = source.getValue("kind") instanceof String k ? k : null;
    String name = source.getValue("name") instanceof String n ? n : null;
    JsonObject root = new JsonObject();
    if ("path".equals(kind) && name != null && name.startsWith("/")) {
      String dir = name.endsWith("/") ? name : name + "/";
      root.put("uri", "file://" + uriReference(dir));
    }
    String label = kind == null ? "the scanned source" : name == null ? kind + " source" : kind + " " + publicUrl(name);
    return root.put("description", new JsonObject().put("text", "Root of " + label));
  }

  /** The commit of a git source, when it is known and the repository URL is a plain https URL. */
  private static JsonObject versionControl(JsonObject scan) {
    if (!(scan.getValue("source") instanceof JsonObject source)) return null;
    if (!"git".equals(source.getValue("kind"))) return null;
    if (!(source.getValue("commit") instanceof String commit) || commit.isBlank()) return null;
    if (!(source.getValue("name") instanceof String name)) return null;
    String repository = publicUrl(name);
    if (!repository.startsWith("https://") && !repository.startsWith("http://")) return null;
    return new JsonObject().put("repositoryUri", repository).put("revisionId", commit);
  }

  /**
   * {@code text} without user-info, query or fragment when it is a URL: submission refuses credentials
   * in git URLs, and this keeps a report from ever repeating one should any slip through.
   */
  static String publicUrl(String text) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) return text;
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      return text;
    }
  }

  private static JsonObject runProperties(JsonObject scan) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("scanId", scan.getValue("id"));
    props.put("status", scan.getValue("status"));
    props.put("modelReview", scan.getValue("modelReview"));
    props.put("model", scan.getValue("model"));
    props.put("promptVersion", scan.getValue("promptVersion"));
    if (scan.getValue("verification") instanceof JsonObject v) {
      props.put("verification", v.getValue("status"));
      props.put("verificationRejected", v.getValue("rejected"));
    }
    props.put("idVersion", scan.getValue("idVersion") instanceof Number n ? n : FindingIds.ID_VERSION);
    JsonObject out = new JsonObject();
    props.forEach((k, v) -> {
      if (v instanceof String || v instanceof Number) out.put(k, v);
    });
    return out;
  }

  private static void putText(JsonObject target, String key, String value) {
    if (value != null && !value.isBlank()) target.put(key, value);
  }
}
