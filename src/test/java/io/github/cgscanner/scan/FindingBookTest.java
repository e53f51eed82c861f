package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.LineOrdinals;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingBookTest {
  static JsonObject raw(String path, int line, int endLine, String cwe) {
    return new JsonObject().put("ruleId", "llm/" + cwe).put("cwe", cwe).put("title", "SQL injection")
        .put("severity", "high").put("confidence", "high").put("path", path).put("startLine", line).put("endLine", endLine)
        .put("snippet", "s").put("description", "d").put("recommendation", "r").put("source", "llm").put("flaggedText", "s");
  }

  static ReviewTask.Part whole(String path, List<String> lines) {
    return new ReviewTask.Part(path, 1, lines.size(), String.join("\n", lines), List.of());
  }

  static List<String> file(int lines, int... vulnerableAt) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= lines; i++) out.add("  int v" + i + " = " + i + ";");
    for (int at : vulnerableAt) out.set(at - 1, "    q = \"SELECT \" + id;");
    out.set(lines - 1, "}");
    return out;
  }

  @Test
  void theSameIssueKeepsItsIdWhenLinesShiftOrItsWhitespaceChanges() {
    List<String> before = file(20, 10);
    List<String> after = new ArrayList<>(file(24, 14));
    after.set(13, "\tq = \"SELECT \"  +  id; ");
    Finding a = new FindingBook().addModelFinding(raw("a/Dao.java", 10, 10, "CWE-89"), whole("a/Dao.java", before));
    Finding b = new FindingBook().addModelFinding(raw("a/Dao.java", 14, 14, "CWE-89"), whole("a/Dao.java", after));
    assertEquals(a.id(), b.id());
    assertEquals(14, b.startLine());
  }

  @Test
  void neitherTheCweWithinItsFamilyNorTheEndLineChangeTheId() {
    ReviewTask.Part part = whole("a/Dao.java", file(20, 10));
    Finding sql = new FindingBook().addModelFinding(raw("a/Dao.java", 10, 10, "CWE-89"), part);
    Finding hibernate = new FindingBook().addModelFinding(raw("a/Dao.java", 10, 11, "CWE-564"), part);
    Finding other = new FindingBook().addModelFinding(raw("a/Dao.java", 10, 10, "CWE-78"), part);
    assertEquals(sql.id(), hibernate.id(), "CWE-564 is in CWE-89's family");
    assertEquals("CWE-564", hibernate.cwe(), "the finding keeps the CWE it was given");
    assertNotEquals(sql.id(), other.id(), "another family is another finding");
  }

  @Test
  void repeatsAreDroppedAndTwinsAreKept() {
    FindingBook book = new FindingBook();
    ReviewTask.Part part = whole("a.py", file(20, 3, 9));
    Finding first = book.addModelFinding(raw("a.py", 3, 3, "CWE-89"), part);
    assertNull(book.addModelFinding(raw("a.py", 3, 4, "CWE-564"), part), "a second answer about the same line and family");
    Finding twin = book.addModelFinding(raw("a.py", 9, 9, "CWE-89"), part);
    assertNotEquals(first.id(), twin.id(), "the same text twice in a file is two findings");
    Finding otherFile = book.addModelFinding(raw("b.py", 3, 3, "CWE-89"), whole("b.py", file(20, 3, 9)));
    assertNotEquals(first.id(), otherFile.id());
    assertEquals(3, book.size());
  }

  @Test
  void aLaterPartOfALongFileGivesTheIdTheWholeFileWould() {
    List<String> lines = file(30, 4, 12, 25);
    ReviewTask.Part all = whole("Big.java", lines);
    LineOrdinals.Tracker tracker = new LineOrdinals.Tracker();
    List<ReviewTask.Part> parts = new ArrayList<>();
    for (int[] range : new int[][] {{1, 10}, {11, 20}, {21, 30}}) {
      List<String> slice = lines.subList(range[0] - 1, range[1]);
      parts.add(new ReviewTask.Part("Big.java", range[0], range[1], String.join("\n", slice), List.of(),
          tracker.next(slice, range[0])));
    }
    for (int[] at : new int[][] {{4, 0}, {12, 1}, {25, 2}}) {
      ReviewTask.Part part = parts.get((at[0] - 1) / 10);
      assertEquals(at[1], part.ordinal(at[0]));
      assertEquals(new FindingBook().addModelFinding(raw("Big.java", at[0], at[0], "CWE-89"), all).id(),
          new FindingBook().addModelFinding(raw("Big.java", at[0], at[0], "CWE-89"), part).id());
    }
    ReviewTask.Part last = parts.get(2);
    List<Integer> halfCarried = LineOrdinals.slice(last.lines(), 21, last.seenBefore(), 3, 10);
    ReviewTask.Part half = new ReviewTask.Part("Big.java", 24, 30, String.join("\n", lines.subList(23, 30)), List.of(), halfCarried);
    assertEquals(2, half.ordinal(25), "a half of a split part carries its ordinals too");
  }
}
