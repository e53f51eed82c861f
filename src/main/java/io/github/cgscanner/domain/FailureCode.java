package io.github.cgscanner.domain;

import java.util.Locale;

/** Why a scan did not complete: the {@code error.code} of a failed or cancelled Scan. */
public enum FailureCode {
  /** The source was refused by policy (URL, address, path). The CLI exits 2 for it. */
  SOURCE_REFUSED,
  /** The repository could not be fetched. */
  SOURCE_UNAVAILABLE,
  INVALID_ARCHIVE,
  TOO_MANY_FILES,
  /** The estimate or the usage passed {@code scan.maxTokens} or {@code options.maxCostUsd}. */
  BUDGET_EXCEEDED,
  /** Every key of the worker was refused (401/403, no quota). */
  NO_USABLE_KEY,
  /** Every key's answer says the model or endpoint is wrong (unknown model, 404, 400 on the request shape). */
  MODEL_UNAVAILABLE,
  /** The model review was expected and not one chunk was reviewed. */
  REVIEW_FAILED,
  /** {@code scan.maxDuration} passed, queueing and outages included. */
  DEADLINE_EXCEEDED,
  /** The scan's state could not be written to its store. */
  STORE_UNAVAILABLE,
  /** Memory store only: the coordinator left and nobody holds the scan's work. */
  COORDINATOR_LOST,
  /**
   * With a database: the worker running the scan stopped (a restart, a crash) before it finished, and the
   * scan is not resumed; what it found so far is kept.
   */
  INTERRUPTED,
  CANCELLED,
  INTERNAL_ERROR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FailureCode parse(String wire) {
    for (FailureCode c : values()) {
      if (c.wire().equals(wire)) return c;
    }
    return INTERNAL_ERROR;
  }
}
