package io.github.cgscanner.domain;

/**
 * How a scan ends: its final status, what its model review amounted to, and the error when it did not
 * complete. The one place that decides when {@code completed} is allowed: only when the review the scan
 * promised happened — every selected file reviewed ({@code done}), some listed as failed
 * ({@code partial}), or local-only mode ({@code skipped}).
 */
public record ScanVerdict(ScanStatus status, ModelReview review, FailureCode code, String message) {

  /** What the model work of a scan came to, when the verdict is taken. */
  public record Work(boolean modelExpected, int tasksCreated, long tasksReviewed, int filesScanned, int filesFailed) {}

  /** A scan whose every task is resolved (answered or given up). */
  public static ScanVerdict ofResolvedWork(Work w) {
    if (!w.modelExpected()) return new ScanVerdict(ScanStatus.COMPLETED, ModelReview.SKIPPED, null, null);
    if (w.filesFailed() == 0) return new ScanVerdict(ScanStatus.COMPLETED, ModelReview.DONE, null, null);
    boolean reviewedNothing = w.tasksReviewed() == 0 && (w.tasksCreated() > 0 || w.filesScanned() == 0);
    if (reviewedNothing) {
      return new ScanVerdict(ScanStatus.FAILED, ModelReview.PARTIAL, FailureCode.REVIEW_FAILED,
          "the model review was expected and not one chunk could be reviewed (see failedFiles for the reasons)");
    }
    return new ScanVerdict(ScanStatus.COMPLETED, ModelReview.PARTIAL, null, null);
  }

  /** A scan ended before its work was resolved. */
  public static ScanVerdict failed(FailureCode code, String message, Work w) {
    return new ScanVerdict(code == FailureCode.CANCELLED ? ScanStatus.CANCELLED : ScanStatus.FAILED, endedEarly(w), code, message);
  }

  private static ModelReview endedEarly(Work w) {
    return w.modelExpected() && w.tasksReviewed() > 0 ? ModelReview.PARTIAL : ModelReview.SKIPPED;
  }
}
