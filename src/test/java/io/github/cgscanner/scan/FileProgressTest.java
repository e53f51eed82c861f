package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileProgressTest {
  @Test
  void aFileCountsOnceWhenItsLastTaskIsResolved() {
    TaskBoard board = Tasks.board("s1");
    FileProgress files = new FileProgress();
    files.selected(2, Map.of());
    ReviewTask a = board.newTask(List.of(Tasks.part("big.java", 1, 100, "x")), 100);
    ReviewTask b = board.newTask(List.of(Tasks.part("big.java", 101, 200, "y"), Tasks.part("small.py", 1, 3, "z")), 100);
    files.taskOpened(a);
    files.taskOpened(b);
    files.resolve(b, null);
    assertEquals(1, files.scanned, "small.py is done, big.java still has a task open");
    files.resolve(a, "server_error");
    assertEquals(1, files.scanned);
    assertEquals(1, files.failed);
    assertEquals(new JsonObject().put("path", "big.java").put("reason", "server_error"), files.failedJson().getJsonObject(0));
    assertEquals(files.total, files.scanned + files.failed);
  }

  @Test
  void aCutShortTaskIsHalvedByPartsThenByLinesWithTrueLineNumbers() {
    TaskBoard board = Tasks.board("s1");
    FileProgress files = new FileProgress();
    files.selected(4, Map.of());
    ReviewTask twoParts = board.newTask(List.of(Tasks.part("a.js", 1, 2, "l1\nl2"), Tasks.part("b.js", 1, 1, "only")), 100);
    files.taskOpened(twoParts);
    List<ReviewTask> halves = TaskSplitter.halves(twoParts, board);
    assertEquals("a.js", halves.get(0).parts().get(0).path());
    assertEquals("b.js", halves.get(1).parts().get(0).path());
    files.replaced(twoParts, halves.get(0), halves.get(1));

    ReviewTask lines = board.newTask(List.of(Tasks.part("c.py", 10, 14, "a\nb\nc\nd\ne")), 100);
    files.taskOpened(lines);
    List<ReviewTask> byLines = TaskSplitter.halves(lines, board);
    ReviewTask.Part first = byLines.get(0).parts().get(0);
    ReviewTask.Part second = byLines.get(1).parts().get(0);
    assertEquals(List.of(10, 11), List.of(first.startLine(), first.endLine()));
    assertEquals(List.of(12, 14), List.of(second.startLine(), second.endLine()));
    assertEquals("c\nd\ne", second.text());
    assertEquals(1, second.hints().size(), "the hint at line 14 follows its half");
    assertEquals(0, first.hints().size());
    files.replaced(lines, byLines.get(0), byLines.get(1));
    files.resolve(byLines.get(0), null);
    assertEquals(0, files.scanned, "c.py waits for both halves");
    files.resolve(byLines.get(1), null);
    assertEquals(1, files.scanned);

    assertNull(TaskSplitter.halves(board.newTask(List.of(Tasks.part("d.py", 7, 7, "single line")), 10), board),
        "one line cannot be cut");
  }

  @Test
  void filesNeverReachedCountAsFailedWhenAScanEndsEarly() {
    FileProgress files = new FileProgress();
    files.selected(10, Map.of("binary", 2));
    files.scannedWithoutModel();
    files.failedBeforeReview("x.bin", "unreadable");
    files.failUnresolved();
    assertEquals(1, files.scanned);
    assertEquals(9, files.failed);
    assertEquals(2, files.skippedTotal);
  }
}
