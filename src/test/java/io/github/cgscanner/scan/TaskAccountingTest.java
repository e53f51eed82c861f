package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskAccountingTest {
  static ScanState scan() {
    ScanState s = new ScanState("s1", null, new JsonObject(), ScanOptions.none(), "m", "v", "node", "files", "x");
    s.tasks = new TaskBoard("s1");
    return s;
  }

  static JsonObject part(String path, int start, int end, String text) {
    return new JsonObject().put("path", path).put("startLine", start).put("endLine", end).put("text", text)
        .put("hints", new JsonArray().add(new JsonObject().put("line", end).put("rule", "r").put("title", "t")));
  }

  static JsonObject open(ScanState s, JsonObject... parts) {
    JsonObject task = s.tasks.newTask(new JsonArray(List.of((Object[]) parts)), 100);
    for (JsonObject p : parts) s.openTasksByFile.merge(p.getString("path"), 1, Integer::sum);
    s.filesTotal = (int) s.openTasksByFile.keySet().stream().count();
    return task;
  }

  @Test
  void aFileCountsOnceWhenItsLastTaskIsResolved() {
    ScanState s = scan();
    JsonObject a = open(s, part("big.java", 1, 100, "x"));
    JsonObject b = open(s, part("big.java", 101, 200, "y"), part("small.py", 1, 3, "z"));
    TaskAccounting.resolve(s, b, null);
    assertEquals(1, s.filesScanned, "small.py is done, big.java still has a task open");
    TaskAccounting.resolve(s, a, "server_error");
    assertEquals(1, s.filesScanned);
    assertEquals(1, s.filesFailed);
    assertEquals("server_error", s.failedFiles.get("big.java"));
    assertEquals(s.filesTotal, s.filesScanned + s.filesFailed);
  }

  @Test
  void aCutShortTaskIsHalvedByPartsThenByLinesWithTrueLineNumbers() {
    ScanState s = scan();
    JsonObject twoParts = open(s, part("a.js", 1, 2, "l1\nl2"), part("b.js", 1, 1, "only"));
    assertTrue(TaskAccounting.split(s, twoParts));
    assertEquals(2, s.tasks.pendingCount());
    List<JsonObject> halves = s.tasks.lease(2, "n", 0, 1000);
    assertEquals("a.js", halves.get(0).getJsonArray("parts").getJsonObject(0).getString("path"));

    JsonObject lines = open(s, part("c.py", 10, 14, "a\nb\nc\nd\ne"));
    assertTrue(TaskAccounting.split(s, lines));
    List<JsonObject> byLines = s.tasks.lease(2, "n", 0, 1000);
    JsonObject first = byLines.get(0).getJsonArray("parts").getJsonObject(0);
    JsonObject second = byLines.get(1).getJsonArray("parts").getJsonObject(0);
    assertEquals(List.of(10, 11), List.of(first.getInteger("startLine"), first.getInteger("endLine")));
    assertEquals(List.of(12, 14), List.of(second.getInteger("startLine"), second.getInteger("endLine")));
    assertEquals("c\nd\ne", second.getString("text"));
    assertEquals(1, second.getJsonArray("hints").size(), "the hint at line 14 follows its half");
    assertEquals(0, first.getJsonArray("hints").size());
    assertEquals(2, s.openTasksByFile.get("c.py"), "the file now waits for both halves");

    JsonObject oneLine = open(s, part("d.py", 7, 7, "single line"));
    assertFalse(TaskAccounting.split(s, oneLine), "one line cannot be cut");
  }
}
