package io.github.cgscanner.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FindingVerificationTest {
  private static final Finding HIGH = new Finding("id1", "llm/CWE-89", "CWE-89", "SQL injection", Severity.HIGH, "high", "a.java", 3, 3,
      "q = \"SELECT \" + id;", "d", "r", "llm");

  private static Verification verdict(Verification.Verdict v) {
    return new Verification(v, 8, "line 2 checks it", "gpt-5.4-mini", null, null);
  }

  @Test
  void aLowerSeverityIsAppliedAndTheReviewsIsKeptAHigherOneIsNot() {
    Finding lowered = HIGH.verified(verdict(Verification.Verdict.CONFIRMED), Severity.LOW);
    assertEquals(Severity.LOW, lowered.severity());
    assertEquals(Severity.HIGH, lowered.verification().originalSeverity());
    assertTrue(lowered.reported());
    Finding raised = HIGH.verified(verdict(Verification.Verdict.CONFIRMED), Severity.CRITICAL);
    assertEquals(Severity.HIGH, raised.severity(), "the pass confirms, it does not escalate");
    assertNull(raised.verification().originalSeverity());
  }

  @Test
  void aRejectedFindingIsSetAsideAtTheSeverityItWasFoundWith() {
    Finding rejected = HIGH.verified(verdict(Verification.Verdict.REJECTED), Severity.INFO);
    assertEquals(FindingState.REJECTED, rejected.state());
    assertFalse(rejected.reported());
    assertEquals(Severity.HIGH, rejected.severity());
    assertTrue(HIGH.verified(verdict(Verification.Verdict.UNCERTAIN), null).reported(), "uncertain stays reported");
  }

  @Test
  void stateAndVerificationSurviveTheirJson() {
    Finding f = HIGH.verified(verdict(Verification.Verdict.CONFIRMED), Severity.MEDIUM);
    JsonObject json = f.toJson();
    assertEquals("open", json.getString("state"));
    assertEquals("confirmed", json.getJsonObject("verification").getString("verdict"));
    assertEquals(8, json.getJsonObject("verification").getInteger("confidence"));
    assertEquals("high", json.getJsonObject("verification").getString("originalSeverity"));
    assertEquals(f, Finding.fromJson(json));
    Finding failed = HIGH.verified(Verification.failed("m", "server_error", "not verified"), null);
    assertEquals(failed, Finding.fromJson(new JsonObject(failed.toJson().encode())));
    assertNull(failed.toJson().getJsonObject("verification").getValue("confidence"));
    assertEquals("open", HIGH.toJson().getString("state"));
    assertNull(HIGH.toJson().getValue("verification"));
  }

  @Test
  void optionsVerifyOverridesTheConfiguredModeAndIsChecked() {
    assertEquals(VerifyMode.ALL, ScanOptions.fromJson(new JsonObject().put("verify", "all")).verify());
    assertNull(ScanOptions.fromJson(new JsonObject()).verify(), "unset: review.verify decides");
    assertEquals(VerifyMode.OFF, ScanOptions.fromJson(ScanOptions.fromJson(new JsonObject().put("verify", "off")).toJson()).verify());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanOptions.fromJson(new JsonObject().put("verify", "some")));
    assertEquals("options.verify must be one of off, high, all", e.getMessage());
  }

  @Test
  void highCoversCriticalAndHighModelFindingsOnly() {
    assertTrue(VerifyMode.HIGH.covers(HIGH));
    assertFalse(VerifyMode.HIGH.covers(HIGH.verified(verdict(Verification.Verdict.CONFIRMED), Severity.MEDIUM)));
    Finding rule = new Finding("r", "rules/sql-concat", "CWE-89", "t", Severity.CRITICAL, "medium", "a.java", 3, 3, "s", "d", "r", "rules");
    assertFalse(VerifyMode.ALL.covers(rule), "local findings are not sent for verification");
    assertFalse(VerifyMode.OFF.covers(HIGH));
  }
}
