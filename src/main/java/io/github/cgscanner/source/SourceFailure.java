package io.github.cgscanner.source;

/**
 * Fetching a source failed (the scan fails with this code). Messages are our own wording, never a
 * library's, which may name internal hosts or echo credentials.
 */
public class SourceFailure extends RuntimeException {
  public static final String SOURCE_REFUSED = "source_refused";
  public static final String SOURCE_UNAVAILABLE = "source_unavailable";
  public static final String INVALID_ARCHIVE = "invalid_archive";

  private final String code;

  public SourceFailure(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
