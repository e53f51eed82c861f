package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.ModelReview;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.source.GitSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanRunTest {
  private static ScanRun run(boolean model) {
    return new ScanRun("s1", "o", new GitSource("https://github.com/a/b", "main", "ghp_tokenvalue"), ScanOptions.none(), null,
        new ScanRun.Identity("m", "v", "n1", model, io.github.cgscanner.domain.VerifyMode.HIGH));
  }

  @Test
  void theSubmittedSourceIsDroppedOnceFetched() {
    ScanRun run = run(true);
    run.fetching();
    assertNotNull(run.source());
    run.fetched("a/b", "abc123");
    assertNull(run.source(), "the git token does not outlive the fetch");
    assertEquals("abc123", run.toJson().getJsonObject("source").getString("commit"));
    assertTrue(!run.toJson().encode().contains("ghp_tokenvalue"));
  }

  @Test
  void onlyTheListedTransitionsAreAllowed() {
    ScanRun run = run(true);
    assertThrows(IllegalStateException.class, () -> run.scanning(Tasks.board("s1")), "queued cannot skip fetching");
    run.fetching();
    run.scanning(Tasks.board("s1"));
    run.end(run.failure(FailureCode.CANCELLED, "cancelled"));
    assertEquals(ScanStatus.CANCELLED, run.status());
    assertThrows(IllegalStateException.class, () -> run.end(run.verdictOfResolvedWork()), "a final status is final");
  }

  @Test
  void aReviewWhereNotOneChunkWasReviewedFailsAndFilesNeverReachedCountAsFailed() {
    ScanRun run = run(true);
    run.fetching();
    TaskBoard board = Tasks.board("s1");
    run.files.selected(3, Map.of());
    for (String path : List.of("a", "b", "c")) {
      var task = board.newTask(List.of(Tasks.part(path)), 10);
      board.add(task);
      run.files.taskOpened(task);
    }
    run.scanning(board);
    for (var task : board.drain()) run.files.resolve(task, "server_error");
    var verdict = run.verdictOfResolvedWork();
    assertEquals(ScanStatus.FAILED, verdict.status());
    assertEquals(FailureCode.REVIEW_FAILED, verdict.code());
    run.end(verdict);
    assertEquals(3, run.files.failed);
    assertEquals("review_failed", run.toJson().getJsonObject("error").getString("code"));
  }

  @Test
  void localOnlyModeCompletesWithTheReviewSkipped() {
    ScanRun run = run(false);
    run.fetching();
    run.files.selected(2, Map.of());
    run.files.scannedWithoutModel();
    run.files.scannedWithoutModel();
    var verdict = run.verdictOfResolvedWork();
    assertEquals(ScanStatus.COMPLETED, verdict.status());
    assertEquals(ModelReview.SKIPPED, verdict.review());
  }
}
