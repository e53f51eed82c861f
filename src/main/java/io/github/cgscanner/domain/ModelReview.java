package io.github.cgscanner.domain;

import java.util.Locale;

/** What a finished scan's model review amounted to. */
public enum ModelReview {
  /** Every selected file was reviewed. */
  DONE,
  /** Some files could not be reviewed; they are listed in {@code failedFiles} with their reasons. */
  PARTIAL,
  /** Local-only mode (no API key), or the scan ended before any model work was due. */
  SKIPPED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Only these make a run GitHub may show as successful: nothing that was promised was left out. */
  public boolean complete() {
    return this == DONE || this == SKIPPED;
  }
}
