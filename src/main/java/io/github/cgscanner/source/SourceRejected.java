package io.github.cgscanner.source;

/**
 * A submitted source refused before a scan exists (the HTTP layer answers 400). {@code code} is
 * {@code invalid_request} (malformed) or {@code source_refused} (well-formed but against policy). The
 * message is fit for users: it never quotes a token.
 */
public class SourceRejected extends RuntimeException {
  public static final String INVALID_REQUEST = "invalid_request";
  public static final String SOURCE_REFUSED = "source_refused";

  private final String code;

  public SourceRejected(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
