package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.chunk.Chunker;
import io.github.cgscanner.chunk.TokenCounter;
import io.github.cgscanner.protocol.ReviewTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationWindowsTest {
  private static final TokenCounter COUNTER = TokenCounter.shared();

  private static String file(int lines) {
    StringBuilder sb = new StringBuilder();
    for (int n = 1; n <= lines; n++) sb.append("    int value").append(n).append(" = compute(").append(n).append(");\r\n");
    return sb.toString();
  }

  private static ReviewTask.VerifyItem at(int line) {
    return new ReviewTask.VerifyItem("id" + line, "src/A.java", line, line, "SQL injection", "compute(" + line + ")");
  }

  private static long tokens(VerificationWindows.Window w) {
    long t = 0;
    for (ReviewTask.Part p : w.parts()) t += COUNTER.count(Chunker.header(p.path(), p.startLine(), p.endLine()));
    for (ReviewTask.Part p : w.parts()) {
      int n = p.startLine();
      for (String line : p.lines()) t += COUNTER.count(n++ + "| " + line + "\n");
    }
    for (ReviewTask.VerifyItem i : w.items()) t += COUNTER.count(i.toJson().encode()) + 1;
    return t;
  }

  @Test
  void aFileThatFitsIsShownWholeWithItsLinesAsChunked() {
    String text = file(200);
    VerificationWindows.Plan plan = VerificationWindows.plan("src/A.java", text, List.of(new ReviewTask.Hint(50, "r", "t")),
        List.of(at(150), at(20)), 100_000, COUNTER);
    assertEquals(1, plan.windows().size());
    ReviewTask.Part part = plan.windows().get(0).parts().get(0);
    assertEquals(1, part.startLine());
    assertEquals(200, part.endLine());
    assertEquals(Chunker.lines(text), part.lines(), "the same lines as the review, CRs dropped");
    assertEquals(List.of(new ReviewTask.Hint(50, "r", "t")), part.hints());
    assertEquals(List.of("id20", "id150"), plan.windows().get(0).items().stream().map(ReviewTask.VerifyItem::id).toList());
  }

  @Test
  void manyFindingsAreSplitOverRequestsThatEachShowTheWholeFile() {
    List<ReviewTask.VerifyItem> items = new ArrayList<>();
    for (int n = 1; n <= 45; n++) items.add(at(n * 4));
    VerificationWindows.Plan plan = VerificationWindows.plan("src/A.java", file(200), List.of(), items, 100_000, COUNTER);
    assertEquals(3, plan.windows().size());
    assertEquals(45, plan.windows().stream().mapToInt(w -> w.items().size()).sum());
    assertTrue(plan.windows().stream().allMatch(w -> w.items().size() <= VerificationWindows.MAX_FINDINGS_PER_REQUEST));
    assertTrue(plan.windows().stream().allMatch(w -> w.parts().size() == 1 && w.parts().get(0).endLine() == 200));
  }

  @Test
  void aLongFileIsCutIntoWindowsAroundItsFindingsWithItsHeadAndWithinTheBudget() {
    int budget = 2_000;
    VerificationWindows.Plan plan = VerificationWindows.plan("src/A.java", file(3_000), List.of(), List.of(at(2_900), at(1_200), at(1_210)),
        budget, COUNTER);
    assertEquals(2, plan.windows().size(), "the two close findings share a window");
    for (VerificationWindows.Window w : plan.windows()) {
      long counted = tokens(w);
      assertTrue(counted <= budget, "within the budget: " + counted);
      assertTrue(counted > budget * 0.9, "and filling it: " + counted);
      assertTrue(counted <= w.tokens() && w.tokens() <= budget, "the estimate (planned with the widest header) covers the count: "
          + counted + " <= " + w.tokens());
      assertEquals(1, w.parts().get(0).startLine(), "the file's first lines come along");
      ReviewTask.Part around = w.parts().get(w.parts().size() - 1);
      for (ReviewTask.VerifyItem i : w.items()) {
        assertTrue(around.startLine() < i.startLine() - 20 && around.endLine() > i.endLine() + 20, "room around " + i.startLine() + ": " + around);
      }
    }
    assertEquals(List.of(), plan.tooLong());
  }

  @Test
  void aFindingWhoseOwnLinesDoNotFitIsReportedAsTooLong() {
    ReviewTask.VerifyItem huge = new ReviewTask.VerifyItem("big", "src/A.java", 1, 2_000, "t", "e");
    VerificationWindows.Plan plan = VerificationWindows.plan("src/A.java", file(3_000), List.of(), List.of(huge, at(2_500)), 2_000, COUNTER);
    assertEquals(List.of(huge), plan.tooLong());
    assertEquals(1, plan.windows().size());
  }
}
