package io.github.cgscanner.report;

import static io.github.cgscanner.report.ReportFixtures.finding;
import static io.github.cgscanner.report.ReportFixtures.mixed;
import static io.github.cgscanner.report.ReportFixtures.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SarifReportTest {
  private static JsonSchemaValidator validator;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SarifReportTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      validator = new JsonSchemaValidator(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
  }

  /** Validates the serialised form, as a consumer would read it. */
  private static JsonObject assertValid(JsonObject sarif) {
    JsonObject parsed = new JsonObject(sarif.encode());
    List<String> errors = validator.validate(parsed);
    assertTrue(errors.isEmpty(), "SARIF is not valid:\n" + String.join("\n", errors));
    assertNoNulls(parsed, "");
    return parsed;
  }

  private static void assertNoNulls(Object value, String at) {
    assertFalse(value == null, "null at " + at);
    if (value instanceof JsonObject o) for (Map.Entry<String, Object> e : o) assertNoNulls(e.getValue(), at + "/" + e.getKey());
    if (value instanceof JsonArray a) for (int i = 0; i < a.size(); i++) assertNoNulls(a.getValue(i), at + "/" + i);
  }

  private static JsonObject run(JsonObject sarif) {
    return sarif.getJsonArray("runs").getJsonObject(0);
  }

  @Test
  void aFindingTheVerificationRejectedIsNoResultAndAVerifiedOneSaysSo() {
    Finding kept = mixed().get(0).verified(new io.github.cgscanner.domain.Verification(
        io.github.cgscanner.domain.Verification.Verdict.CONFIRMED, 9, "reaches the query", "m", null, null), Severity.MEDIUM);
    Finding rejected = mixed().get(1).verified(new io.github.cgscanner.domain.Verification(
        io.github.cgscanner.domain.Verification.Verdict.REJECTED, 9, "parsed as a number on line 3", "m", null, null), null);
    JsonObject scan = scan("files", "inline", null).put("verification", new JsonObject().put("status", "partial").put("failed", 2)
        .put("rejected", 1));
    JsonObject run = run(assertValid(SarifReport.build(scan, List.of(kept, rejected), "1.0")));
    JsonArray results = run.getJsonArray("results");
    assertEquals(1, results.size(), "the rejected finding is left out");
    assertEquals(kept.id(), results.getJsonObject(0).getJsonObject("partialFingerprints").getString("primaryLocationLineHash"));
    JsonObject props = results.getJsonObject(0).getJsonObject("properties");
    assertEquals("confirmed", props.getString("verification"));
    assertEquals(9, props.getInteger("verificationConfidence"));
    assertEquals("high", props.getString("reviewSeverity"));
    assertEquals("warning", results.getJsonObject(0).getString("level"), "at the severity the verifier gave (medium)");
    assertEquals(1, run.getJsonObject("tool").getJsonObject("driver").getJsonArray("rules").size(), "no rule for what was left out");
    assertTrue(run.getJsonArray("invocations").getJsonObject(0).getJsonArray("toolExecutionNotifications").encode()
        .contains("verification pass was partial"));
  }

  @Test
  void mixedFindingsIncludingNullCweAndInfoValidateAgainstTheOfficialSchema() {
    JsonObject sarif = assertValid(SarifReport.build(scan("git", "https://github.com/acme/shop", "0123456789abcdef0123456789abcdef01234567"),
        mixed(), "1.2.3"));
    assertEquals("https://json.schemastore.org/sarif-2.1.0.json", sarif.getString("$schema"));
    assertEquals("2.1.0", sarif.getString("version"));
    assertEquals(1, sarif.getJsonArray("runs").size());
    JsonObject driver = run(sarif).getJsonObject("tool").getJsonObject("driver");
    assertEquals("chatgpt-security-scanner", driver.getString("name"));
    assertEquals("1.2.3", driver.getString("version"));
    assertTrue(driver.getString("informationUri").startsWith("https://"));
  }

  @Test
  void theValidatorCatchesBrokenSarif() {
    JsonObject good = new JsonObject(SarifReport.build(scan("files", "upload", null), mixed(), "1").encode());
    assertTrue(validator.validate(good).isEmpty());

    JsonObject noMessage = good.copy();
    run(noMessage).getJsonArray("results").getJsonObject(0).remove("message");
    assertFalse(validator.validate(noMessage).isEmpty(), "a result without message must be invalid");

    JsonObject nullText = good.copy();
    run(nullText).getJsonArray("results").getJsonObject(0).getJsonObject("message").put("text", (String) null);
    assertFalse(validator.validate(nullText).isEmpty(), "null where a string is expected must be invalid");

    JsonObject badLevel = good.copy();
    run(badLevel).getJsonArray("results").getJsonObject(0).put("level", "critical");
    assertFalse(validator.validate(badLevel).isEmpty(), "an unknown level must be invalid");

    JsonObject lineZero = good.copy();
    run(lineZero).getJsonArray("results").getJsonObject(0).getJsonArray("locations").getJsonObject(0)
        .getJsonObject("physicalLocation").getJsonObject("region").put("startLine", 0);
    assertFalse(validator.validate(lineZero).isEmpty(), "line 0 must be invalid");

    JsonObject extra = good.copy();
    run(extra).put("unknownProperty", "x");
    assertFalse(validator.validate(extra).isEmpty(), "unknown properties must be invalid");
  }

  @Test
  void rulesAreDeduplicatedAndResultsPointAtTheirRule() {
    JsonObject sarif = assertValid(SarifReport.build(scan("files", "upload", null), mixed(), "1"));
    JsonArray rules = run(sarif).getJsonObject("tool").getJsonObject("driver").getJsonArray("rules");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) ids.add(rules.getJsonObject(i).getString("id"));
    assertEquals(List.of("llm/CWE-1004", "llm/CWE-89", "rules/debug-enabled", "secrets/aws-access-key"), ids);

    JsonArray results = run(sarif).getJsonArray("results");
    assertEquals(5, results.size());
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      assertEquals(r.getString("ruleId"), ids.get(r.getInteger("ruleIndex")));
    }
  }

  @Test
  void aModelFindingsRuleIsItsCweFamilyAndTheRunSaysWhichIdFormulaItUses() {
    List<Finding> findings = List.of(
        finding("id-a", "llm/CWE-89", "CWE-89", Severity.HIGH, "high", "src/A.java", 3, 3, "q(\"SELECT \" + a);", "llm"),
        finding("id-b", "llm/CWE-564", "CWE-564", Severity.HIGH, "high", "src/B.java", 5, 5, "s.createQuery(\"from U where n=\" + n);", "llm"));
    JsonObject sarif = assertValid(SarifReport.build(scan("files", "upload", null), findings, "1"));
    JsonArray rules = run(sarif).getJsonObject("tool").getJsonObject("driver").getJsonArray("rules");
    assertEquals(1, rules.size(), rules.encodePrettily());
    assertEquals("llm/CWE-89", rules.getJsonObject(0).getString("id"));
    assertEquals("https://cwe.mitre.org/data/definitions/89.html", rules.getJsonObject(0).getString("helpUri"));
    JsonArray results = run(sarif).getJsonArray("results");
    assertEquals("llm/CWE-89", results.getJsonObject(1).getString("ruleId"));
    assertEquals("CWE-564", results.getJsonObject(1).getJsonObject("properties").getString("cwe"), "a result keeps its own CWE");
    assertEquals("id-b", results.getJsonObject(1).getJsonObject("partialFingerprints").getString("primaryLocationLineHash"));
    assertEquals(io.github.cgscanner.domain.FindingIds.ID_VERSION, run(sarif).getJsonObject("properties").getInteger("idVersion"));
  }

  @Test
  void ruleCarriesTagsPrecisionAndTheHighestSeverityOfItsFindings() {
    JsonObject sarif = assertValid(SarifReport.build(scan("files", "upload", null), mixed(), "1"));
    JsonArray rules = run(sarif).getJsonObject("tool").getJsonObject("driver").getJsonArray("rules");
    JsonObject sql = rules.getJsonObject(1);
    assertEquals("SQL injection (CWE-89)", sql.getJsonObject("shortDescription").getString("text"));
    assertTrue(sql.getString("name").matches("[A-Za-z0-9]+"));
    assertEquals(new JsonArray().add("security").add("external/cwe/cwe-89"), sql.getJsonObject("properties").getJsonArray("tags"));
    assertEquals("9.5", sql.getJsonObject("properties").getString("security-severity"), "critical beats high");
    assertEquals("high", sql.getJsonObject("properties").getString("precision"), "highest confidence");
    assertEquals("error", sql.getJsonObject("defaultConfiguration").getString("level"));
    assertTrue(sql.getJsonObject("help").getString("markdown").contains("https://cwe.mitre.org/data/definitions/89.html"));

    JsonObject info = rules.getJsonObject(2);
    assertEquals(new JsonArray().add("security"), info.getJsonObject("properties").getJsonArray("tags"), "null cwe: no CWE tag");
    assertEquals("0.0", info.getJsonObject("properties").getString("security-severity"));
    assertEquals("low", info.getJsonObject("properties").getString("precision"));
    assertEquals("note", info.getJsonObject("defaultConfiguration").getString("level"));
    assertFalse(info.containsKey("helpUri"));
  }

  @Test
  void resultsCarryLevelLocationFingerprintAndProperties() {
    JsonObject sarif = assertValid(SarifReport.build(scan("files", "upload", null), mixed(), "1"));
    JsonArray results = run(sarif).getJsonArray("results");
    JsonObject first = results.getJsonObject(0);
    assertEquals("error", first.getString("level"));
    assertEquals("id-sql-1", first.getJsonObject("partialFingerprints").getString("primaryLocationLineHash"));
    JsonObject physical = first.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation");
    assertEquals("src/db/Users.java", physical.getJsonObject("artifactLocation").getString("uri"));
    assertEquals("%SRCROOT%", physical.getJsonObject("artifactLocation").getString("uriBaseId"));
    JsonObject region = physical.getJsonObject("region");
    assertEquals(12, region.getInteger("startLine"));
    assertEquals(13, region.getInteger("endLine"));
    assertTrue(region.getJsonObject("snippet").getString("text").startsWith("String q ="));
    assertEquals(new JsonObject().put("severity", "high").put("confidence", "high").put("source", "llm").put("cwe", "CWE-89"),
        first.getJsonObject("properties"));
    assertTrue(first.getJsonObject("message").getString("text").contains("Recommendation: Use a parameterised query."));

    assertEquals("note", results.getJsonObject(3).getString("level"), "info is a note");
    assertEquals("note", results.getJsonObject(4).getString("level"), "low is a note");
    assertEquals("conf/app%20config.yml", results.getJsonObject(2).getJsonArray("locations").getJsonObject(0)
        .getJsonObject("physicalLocation").getJsonObject("artifactLocation").getString("uri"));
    assertFalse(results.getJsonObject(4).getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation")
        .getJsonObject("region").containsKey("snippet"), "a missing snippet is omitted, not null");
  }

  @Test
  void gitCommitBecomesProvenanceWithoutCredentials() {
    JsonObject sarif = assertValid(SarifReport.build(
        scan("git", "https://user:tok3n@github.com/acme/shop.git?x=1", "0123456789abcdef0123456789abcdef01234567"), mixed(), "1"));
    JsonArray provenance = run(sarif).getJsonArray("versionControlProvenance");
    assertEquals(1, provenance.size());
    assertEquals("https://github.com/acme/shop.git", provenance.getJsonObject(0).getString("repositoryUri"));
    assertEquals("0123456789abcdef0123456789abcdef01234567", provenance.getJsonObject(0).getString("revisionId"));
    assertFalse(sarif.encode().contains("tok3n"), "a credential must never reach the report");
    assertEquals("chatgpt-security-scanner/Xq3vA9_scan-id", run(sarif).getJsonObject("automationDetails").getString("id"));
    assertTrue(run(sarif).getJsonObject("originalUriBaseIds").containsKey("%SRCROOT%"));
  }

  @Test
  void provenanceIsOmittedWithoutGitOrCommit() {
    assertNull(run(assertValid(SarifReport.build(scan("git", "https://github.com/acme/shop", null), mixed(), "1")))
        .getValue("versionControlProvenance"));
    assertNull(run(assertValid(SarifReport.build(scan("archive", "shop.zip", null), mixed(), "1")))
        .getValue("versionControlProvenance"));
    JsonObject local = run(assertValid(SarifReport.build(scan("path", "/srv/code/shop", null), mixed(), "1")));
    assertEquals("file:///srv/code/shop/", local.getJsonObject("originalUriBaseIds").getJsonObject("%SRCROOT%").getString("uri"));
  }

  @Test
  void onlyAWholeReviewIsASuccessfulRun() {
    for (String review : new String[] {"done", "skipped"}) {
      JsonObject scan = scan("files", "upload", null).put("modelReview", review).put("failedFiles", new io.vertx.core.json.JsonArray());
      assertTrue(run(assertValid(SarifReport.build(scan, mixed(), "1"))).getJsonArray("invocations").getJsonObject(0)
          .getBoolean("executionSuccessful"), review);
    }
    JsonObject failed = scan("files", "upload", null).put("status", "failed").put("modelReview", "partial")
        .put("error", new JsonObject().put("code", "review_failed").put("message", "no chunk reviewed"));
    assertFalse(run(assertValid(SarifReport.build(failed, mixed(), "1"))).getJsonArray("invocations").getJsonObject(0)
        .getBoolean("executionSuccessful"));
  }

  @Test
  void failedFilesAndPartialReviewBecomeToolNotifications() {
    JsonObject invocation = run(assertValid(SarifReport.build(scan("files", "upload", null), mixed(), "1")))
        .getJsonArray("invocations").getJsonObject(0);
    assertFalse(invocation.getBoolean("executionSuccessful"), "a partial review must not pass for a clean run");
    assertEquals("2025-03-01T10:00:01Z", invocation.getString("startTimeUtc"));
    String notifications = invocation.getJsonArray("toolExecutionNotifications").encode();
    assertTrue(notifications.contains("src/broken file.js (model_error)"));
    assertTrue(notifications.contains("partial"));
  }

  @Test
  void emptyAndSparseInputsStillValidate() {
    JsonObject empty = run(assertValid(SarifReport.build(new JsonObject(), List.of(), null)));
    assertEquals(0, empty.getJsonArray("results").size());
    assertFalse(empty.getJsonObject("tool").getJsonObject("driver").containsKey("version"));
    assertFalse(empty.containsKey("automationDetails"));

    Finding sparse = new Finding(null, null, null, null, null, null, null, 0, 0, null, null, null, null);
    JsonObject failed = scan("git", "not a url", "abc").put("status", "failed").put("modelReview", "skipped")
        .put("error", new JsonObject().put("code", "budget_exceeded").put("message", "token budget exceeded"))
        .put("startedAt", "yesterday");
    JsonObject run = run(assertValid(SarifReport.build(failed, List.of(sparse, finding("i", "x", null, Severity.MEDIUM,
        "unsure", "a:b/c", 5, 2, "", "rules")), "1")));
    JsonObject region = run.getJsonArray("results").getJsonObject(1).getJsonArray("locations").getJsonObject(0)
        .getJsonObject("physicalLocation").getJsonObject("region");
    assertEquals(5, region.getInteger("endLine"), "endLine is never before startLine");
    assertEquals("a%3Ab/c", run.getJsonArray("results").getJsonObject(1).getJsonArray("locations").getJsonObject(0)
        .getJsonObject("physicalLocation").getJsonObject("artifactLocation").getString("uri"));
    assertFalse(run.getJsonArray("invocations").getJsonObject(0).getBoolean("executionSuccessful"));
    assertFalse(run.getJsonArray("invocations").getJsonObject(0).containsKey("startTimeUtc"));
    assertNull(run.getValue("versionControlProvenance"));
  }
}
