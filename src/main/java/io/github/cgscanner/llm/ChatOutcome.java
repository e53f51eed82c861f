package io.github.cgscanner.llm;

/**
 * What one Chat Completions call came to. {@code message} is always our own wording: an upstream
 * body can echo fragments of the key, so it is never carried further.
 */
public record ChatOutcome(
    Kind kind,
    int status,
    String content,
    String refusal,
    String finishReason,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    RateLimitHeaders limits,
    String message) {

  public enum Kind { OK, RATE_LIMITED, QUOTA, UNAUTHORIZED, SERVER_ERROR, TIMEOUT, BAD_REQUEST, CONNECTION }

  public static ChatOutcome noResponse(Kind kind, String message) {
    return new ChatOutcome(kind, 0, null, null, null, 0, 0, 0, RateLimitHeaders.none(), message);
  }
}
