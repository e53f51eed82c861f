package io.github.cgscanner.report;

import static io.github.cgscanner.report.ReportFixtures.finding;
import static io.github.cgscanner.report.ReportFixtures.mixed;
import static io.github.cgscanner.report.ReportFixtures.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {
  private static final JsonObject SCAN = scan("git", "https://github.com/acme/shop", "0123456789abcdef0123456789abcdef01234567");

  @Test
  void findingsAreGroupedBySeverityWithPathLineTitleAndRule() {
    String text = TextReport.render(SCAN, mixed(), false);
    int critical = text.indexOf("CRITICAL (2)");
    int high = text.indexOf("HIGH (1)");
    int low = text.indexOf("LOW (1)");
    int info = text.indexOf("INFO (1)");
    assertTrue(critical > 0 && critical < high && high < low && low < info, text);
    assertFalse(text.contains("MEDIUM ("), "empty groups are left out");

    assertTrue(text.contains("HIGH      src/db/Users.java:12-13  Title of llm/CWE-89  [llm/CWE-89]"), text);
    assertTrue(text.contains("CRITICAL  src/db/Orders.java:40  Title of llm/CWE-89  [llm/CWE-89]"), text);
    assertTrue(text.contains("INFO      settings.py:1  Title of rules/debug-enabled  [rules/debug-enabled]"), text);
    assertTrue(text.indexOf("conf/app config.yml:3") < text.indexOf("src/db/Orders.java:40"), "sorted by path within a group");
    assertTrue(text.contains("    12| String q = \"SELECT * FROM u WHERE id=\" + id;\n    13| stmt.execute(q);\n"), text);
    assertTrue(text.contains("    Description of the issue in src/db/Users.java."));
    assertTrue(text.contains("    Fix: Use a parameterised query."));
  }

  @Test
  void summaryShowsSourceFilesReviewUsageAndCounts() {
    String text = TextReport.render(SCAN, mixed(), false);
    assertTrue(text.contains("Source:   git https://github.com/acme/shop @ 0123456789ab"), text);
    assertTrue(text.contains("Files:    41 scanned, 1 failed, 7 skipped (not selected), of 42 selected"), text);
    assertTrue(text.contains("model review partial"), text);
    assertTrue(text.contains("12 requests, 120,000 prompt tokens (30,000 cached), 8,000 completion tokens, ~$0.1234"), text);
    assertTrue(text.contains("Findings: 5 — 2 critical, 1 high, 0 medium, 1 low, 1 info"), text);
    assertTrue(text.contains("src/broken file.js: model_error"), text);
  }

  @Test
  void rejectedFindingsAreListedApartWithWhyAndVerdictsAreShown() {
    io.github.cgscanner.domain.Verification confirmed = new io.github.cgscanner.domain.Verification(
        io.github.cgscanner.domain.Verification.Verdict.CONFIRMED, 9, "id reaches the query", "m", null, null);
    io.github.cgscanner.domain.Verification rejected = new io.github.cgscanner.domain.Verification(
        io.github.cgscanner.domain.Verification.Verdict.REJECTED, 9, "line 3 parses it as a number", "m", null, null);
    List<Finding> all = List.of(mixed().get(0).verified(confirmed, Severity.MEDIUM), mixed().get(1).verified(rejected, null));
    JsonObject scan = SCAN.copy().put("verification", new JsonObject().put("mode", "all").put("status", "done").put("requested", 2)
        .put("confirmed", 1).put("rejected", 1).put("uncertain", 0).put("failed", 0));
    String text = TextReport.render(scan, all, false);
    assertTrue(text.contains("Findings: 1 — 0 critical, 0 high, 1 medium"), text);
    assertTrue(text.contains("Verified: all: 2 sent for verification, 1 confirmed, 1 rejected, 0 uncertain, 0 not verified — done"), text);
    assertTrue(text.contains("Verdict: confirmed (9/10), severity lowered from high — id reaches the query"), text);
    int apart = text.indexOf("REJECTED BY VERIFICATION (1)");
    assertTrue(apart > text.indexOf("MEDIUM (1)"), text);
    assertTrue(text.indexOf("src/db/Orders.java:40") > apart, "the rejected finding is only in its own list");
    assertTrue(text.contains("Why: line 3 parses it as a number"), text);
  }

  @Test
  void noAnsiCodesWithoutColourAndSomeWithColour() {
    assertFalse(TextReport.render(SCAN, mixed(), false).contains("\u001b"));
    assertTrue(TextReport.render(SCAN, mixed(), true).contains("\u001b[1;91mCRITICAL"));
  }

  @Test
  void hostileTextCannotDriveTheTerminal() {
    Finding evil = new Finding("e", "llm/CWE-79", "CWE-79", "Title\u001b]0;pwned\u0007", Severity.HIGH, "high",
        "a\u001b[2Jb.js", 1, 1, "x = '\u001b[31m'\r", "Desc \u009b31m with CSI and bidi \u202e override", "Fix", "llm");
    for (boolean color : new boolean[] {false, true}) {
      String text = TextReport.render(SCAN, List.of(evil), color);
      String withoutOurCodes = text.replaceAll("\u001b\\[[0-9;]*m", "");
      assertFalse(withoutOurCodes.contains("\u001b"), "untrusted ESC must not be written");
      assertFalse(text.contains("\u009b") || text.contains("\u0007") || text.contains("\r") || text.contains("\u202e"));
      assertTrue(text.contains("a\\x1b[2Jb.js:1"), text);
    }
  }

  @Test
  void descriptionsAreWrappedToTheReportWidth() {
    String longText = ("This sentence explains the vulnerability in some detail so that wrapping is needed. ").repeat(8);
    Finding f = finding("w", "llm/CWE-22", "CWE-22", Severity.MEDIUM, "medium", "p/F.java", 3, 3, "open(p)", "llm");
    f = new Finding(f.id(), f.ruleId(), f.cwe(), f.title(), f.severity(), f.confidence(), f.path(), 3, 3, f.snippet(),
        longText + "\nSecond paragraph.", "Validate paths.", "llm");
    String text = TextReport.render(SCAN, List.of(f), false);
    long wrapped = text.lines().filter(l -> l.startsWith("    This") || l.startsWith("    explains") || l.contains("vulnerability")).count();
    assertTrue(wrapped >= 3, text);
    for (String line : text.lines().toList()) {
      if (!line.startsWith("MEDIUM  ")) assertTrue(line.length() <= TextReport.WIDTH, "too long: " + line);
    }
    assertTrue(text.contains("\n    Second paragraph.\n"), text);
  }

  @Test
  void emptyReportSaysSoAndSurvivesASparseScan() {
    String text = TextReport.render(new JsonObject().put("status", "completed")
        .put("failedFiles", new JsonArray()).put("modelReview", "skipped"), List.of(), false);
    assertTrue(text.contains("No findings."), text);
    assertTrue(text.contains("model review skipped"), text);
    assertTrue(text.contains("Findings: 0 — 0 critical, 0 high, 0 medium, 0 low, 0 info"), text);
    assertEquals(-1, text.indexOf("null"), text);
  }
}
