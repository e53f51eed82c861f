package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictValidatorTest {
  private static ReviewTask task(String... ids) {
    List<ReviewTask.VerifyItem> items = java.util.Arrays.stream(ids).map(id -> new ReviewTask.VerifyItem(id, "a.py", 1, 1, "t", "e")).toList();
    return new ReviewTask(null, "s", "r", null, 0, 0, List.of(), "k", null, List.of(), 0)
        .verifying("s:v1", List.of(new ReviewTask.Part("a.py", 1, 1, "x", List.of())), items, 10);
  }

  private static JsonObject verdict(String id, String verdict, Object confidence, String severity) {
    return new JsonObject().put("id", id).put("verdict", verdict).put("confidence", confidence).put("justification", " line 1 ")
        .put("severity", severity);
  }

  private static VerdictValidator.Result validate(ReviewTask task, JsonObject... verdicts) {
    return VerdictValidator.validate(task, new JsonObject().put("verdicts", new JsonArray(List.of((Object[]) verdicts))).encode());
  }

  @Test
  void onlyIdsThatWereAskedCountOnceEach() {
    VerdictValidator.Result r = validate(task("a", "b"), verdict("a", "rejected", 9, "low"), verdict("zzz", "rejected", 10, "info"),
        verdict("a", "confirmed", 9, "high"));
    assertFalse(r.malformed());
    assertEquals(1, r.verdicts().size(), "the unknown id and the repeat are dropped");
    assertEquals("rejected", r.verdicts().get(0).getString("verdict"));
    assertEquals("line 1", r.verdicts().get(0).getString("justification"));
    assertEquals(2, r.dropped());
  }

  @Test
  void aVerdictOutOfItsRangesIsDropped() {
    VerdictValidator.Result r = validate(task("a", "b", "c", "d", "e"), verdict("a", "maybe", 5, "low"), verdict("b", "confirmed", 0, "low"),
        verdict("c", "confirmed", 11, "low"), verdict("d", "confirmed", 7.5, "low"), verdict("e", "confirmed", 7, "catastrophic"));
    assertEquals(List.of(), r.verdicts());
    assertEquals(5, r.dropped());
    assertEquals(1, validate(task("a"), verdict("a", "Uncertain", 1.0, "MEDIUM")).verdicts().size(), "case and 1.0 are fine");
  }

  @Test
  void anAnswerThatIsNotTheSchemaIsMalformed() {
    assertTrue(VerdictValidator.validate(task("a"), "{\"findings\": []}").malformed());
    assertTrue(VerdictValidator.validate(task("a"), "{\"verdicts\": [").malformed());
    assertTrue(VerdictValidator.validate(task("a"), null).malformed());
    assertFalse(VerdictValidator.validate(task("a"), "{\"verdicts\": []}").malformed(), "an empty list is an answer (every id unanswered)");
  }
}
