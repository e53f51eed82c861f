package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FindingBookTest {
  static JsonObject raw(String path, int line, String text) {
    return new JsonObject().put("ruleId", "llm/CWE-89").put("cwe", "CWE-89").put("title", "SQL injection")
        .put("severity", "high").put("confidence", "high").put("path", path).put("startLine", line).put("endLine", line)
        .put("snippet", text).put("description", "d").put("recommendation", "r").put("source", "llm").put("flaggedText", text);
  }

  @Test
  void theSameIssueKeepsItsIdWhenLinesShift() {
    Finding before = new FindingBook().addModelFinding(raw("a/Dao.java", 10, "q = \"SELECT \" +  id"));
    Finding after = new FindingBook().addModelFinding(raw("a/Dao.java", 14, "q = \"SELECT \" + id"));
    assertEquals(before.id(), after.id());
    assertEquals(14, after.startLine());
  }

  @Test
  void repeatsAreDroppedAndTwinsAreKept() {
    FindingBook book = new FindingBook();
    Finding first = book.addModelFinding(raw("a.py", 3, "os.system(x)"));
    assertNull(book.addModelFinding(raw("a.py", 3, "os.system(x)")), "overlapping chunks report the same thing twice");
    Finding twin = book.addModelFinding(raw("a.py", 9, "os.system(x)"));
    assertNotEquals(first.id(), twin.id(), "the same text twice in a file is two findings");
    Finding otherFile = book.addModelFinding(raw("b.py", 3, "os.system(x)"));
    assertNotEquals(first.id(), otherFile.id());
    assertEquals(3, book.size());
  }
}
