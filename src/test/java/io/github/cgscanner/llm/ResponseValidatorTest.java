package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.ReviewTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.FindingIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ResponseValidatorTest {
  private static final String A_TEXT = String.join("\n",
      "class A {",
      "  void find(String name) {",
      "    String q = \"SELECT * FROM users WHERE name = '\"",
      "        + name + \"'\";",
      "    db.execute(q);",
      "  }",
      "}");

  /** A.java lines 10-16 and B.py lines 1-2. */
  private static ReviewTask task() {
    return new ReviewTask("s:1", "s", "scanner.coordinator.n", "lease", 0, 0, List.of(), "scan-s", null, List.of(
        new ReviewTask.Part("src/A.java", 10, 16, A_TEXT, List.of()),
        new ReviewTask.Part("app/b.py", 1, 2, "import os\nos.system(cmd)", List.of())), 100);
  }

  private static JsonObject finding() {
    return new JsonObject()
        .put("path", "src/A.java").put("startLine", 12).put("endLine", 13)
        .put("cwe", "CWE-89").put("severity", "high").put("confidence", "high")
        .put("title", "SQL injection").put("description", "name flows into SQL").put("recommendation", "use a PreparedStatement")
        .put("evidence", "String q = \"SELECT * FROM users WHERE name = '\"\n        + name + \"'\";");
  }

  private static ResponseValidator.Result validate(JsonObject... findings) {
    return ResponseValidator.validate(task(), new JsonObject().put("findings", new JsonArray(List.of((Object[]) findings))).encode());
  }

  private static void assertDropped(Consumer<JsonObject> change) {
    JsonObject f = finding();
    change.accept(f);
    ResponseValidator.Result r = validate(f);
    assertFalse(r.malformed());
    assertTrue(r.findings().isEmpty(), "expected the finding to be dropped: " + f.encode());
    assertEquals(1, r.dropped());
  }

  @Test
  void validFindingComesBackInOurShape() {
    ResponseValidator.Result r = validate(finding());
    assertEquals(0, r.dropped());
    assertEquals(1, r.findings().size());
    JsonObject f = r.findings().get(0);
    assertEquals("llm/CWE-89", f.getString("ruleId"));
    assertEquals("CWE-89", f.getString("cwe"));
    assertEquals("src/A.java", f.getString("path"));
    assertEquals(12, f.getInteger("startLine"));
    assertEquals(13, f.getInteger("endLine"));
    assertEquals("    String q = \"SELECT * FROM users WHERE name = '\"\n        + name + \"'\";", f.getString("snippet"));
    assertEquals(FindingIds.normalise(f.getString("snippet")), f.getString("flaggedText"));
    assertEquals("llm", f.getString("source"));
    assertEquals("high", f.getString("severity"));
    assertEquals("use a PreparedStatement", f.getString("recommendation"));
    // kept for the verification pass (which shows the model what the review quoted), never in a Finding
    assertEquals(FindingIds.normalise(finding().getString("evidence")), FindingIds.normalise(f.getString("evidence")));
  }

  @Test
  void evidenceMayBePartOfALineAndCarryLineNumbersOrOtherSpacing() {
    assertEquals(1, validate(finding().put("startLine", 14).put("endLine", 14).put("evidence", "db.execute(q)")).findings().size());
    assertEquals(1, validate(finding().put("evidence", "12|     String q = \"SELECT * FROM users WHERE name = '\"\n13| + name + \"'\";")).findings().size());
    assertEquals(1, validate(finding().put("evidence", "String   q =\t\"SELECT * FROM users")).findings().size());
  }

  @Test
  void dropRules() {
    assertDropped(f -> f.put("path", "src/Other.java"));
    assertDropped(f -> f.put("path", "A.java"));
    assertDropped(f -> f.put("startLine", 9));
    assertDropped(f -> f.put("endLine", 17));
    assertDropped(f -> f.put("startLine", 13).put("endLine", 12));
    assertDropped(f -> f.put("evidence", "Runtime.getRuntime().exec(cmd)"));
    assertDropped(f -> f.put("evidence", "db.execute(q);"));
    assertDropped(f -> f.put("evidence", "   "));
    assertDropped(f -> f.put("evidence", "q ="));
    assertDropped(f -> f.put("severity", "catastrophic"));
    assertDropped(f -> f.put("confidence", "certain"));
    assertDropped(f -> f.put("cwe", "SQL-injection"));
    assertDropped(f -> f.remove("evidence"));
    assertDropped(f -> f.put("startLine", "12"));
    assertDropped(f -> f.put("title", ""));
  }

  @Test
  void linesMustHaveBeenSentNotJustClaimedByThePart() {
    ReviewTask shortPart = new ReviewTask("s:1", "s", "r", "l", 0, 0, List.of(), null, null,
        List.of(new ReviewTask.Part("a.js", 1, 10, "eval(x)\nfoo()", List.of())), 1);
    String answer = new JsonObject().put("findings", new JsonArray().add(finding().put("path", "a.js")
        .put("startLine", 3).put("endLine", 3).put("evidence", "foo()"))).encode();
    assertEquals(1, ResponseValidator.validate(shortPart, answer).dropped());
  }

  @Test
  void cweNormalisation() {
    assertEquals("CWE-89", ResponseValidator.normaliseCwe("cwe-89"));
    assertEquals("CWE-89", ResponseValidator.normaliseCwe("89"));
    assertEquals("CWE-79", ResponseValidator.normaliseCwe(" CWE-079 "));
    assertNull(ResponseValidator.normaliseCwe("XSS"));
    assertNull(ResponseValidator.normaliseCwe("CWE-"));
    assertEquals("llm/CWE-89", validate(finding().put("cwe", "89")).findings().get(0).getString("ruleId"));
    JsonObject unclassified = validate(finding().putNull("cwe")).findings().get(0);
    assertEquals("llm/unclassified", unclassified.getString("ruleId"));
    assertNull(unclassified.getString("cwe"));
  }

  @Test
  void duplicatesWithinOneAnswerCollapse() {
    ResponseValidator.Result r = validate(finding(), finding().put("title", "same place, other words"), finding().put("cwe", "CWE-943"));
    assertEquals(2, r.findings().size());
    assertEquals(0, r.dropped());
  }

  @Test
  void secondPartAndGoodNeighboursSurviveABadOne() {
    JsonObject py = finding().put("path", "app/b.py").put("startLine", 2).put("endLine", 2).put("cwe", "CWE-78")
        .put("severity", "critical").put("evidence", "os.system(cmd)");
    ResponseValidator.Result r = validate(finding(), py, finding().put("path", "nope.java"));
    assertEquals(2, r.findings().size());
    assertEquals(1, r.dropped());
  }

  @Test
  void malformedAnswers() {
    assertTrue(ResponseValidator.validate(task(), "{\"findings\": [{\"path\": ").malformed());
    assertTrue(ResponseValidator.validate(task(), "Sure! Here are the findings").malformed());
    assertTrue(ResponseValidator.validate(task(), "{\"results\": []}").malformed());
    assertTrue(ResponseValidator.validate(task(), "[]").malformed());
    assertTrue(ResponseValidator.validate(task(), null).malformed());
    ResponseValidator.Result empty = ResponseValidator.validate(task(), "{\"findings\": []}");
    assertFalse(empty.malformed());
    assertTrue(empty.findings().isEmpty());
    assertEquals(1, ResponseValidator.validate(task(), "{\"findings\": [42]}").dropped());
  }

  @Test
  void snippetIsCappedButFlaggedTextIsWhole() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 30; i++) text.append("line").append(i).append(i < 30 ? "\n" : "");
    ReviewTask t = new ReviewTask("s:1", "s", "r", "l", 0, 0, List.of(), null, null,
        List.of(new ReviewTask.Part("big.c", 1, 30, text.toString(), List.of())), 1);
    String answer = new JsonObject().put("findings", new JsonArray().add(finding().put("path", "big.c")
        .put("startLine", 1).put("endLine", 30).put("evidence", "line7\nline8"))).encode();
    JsonObject f = ResponseValidator.validate(t, answer).findings().get(0);
    assertEquals(ResponseValidator.MAX_SNIPPET_LINES, f.getString("snippet").split("\n").length);
    assertTrue(f.getString("flaggedText").endsWith("line30"));
  }
}
