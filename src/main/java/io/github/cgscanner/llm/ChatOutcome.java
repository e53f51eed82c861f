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

  /**
   * {@code MODEL_UNAVAILABLE}: the endpoint says the model is wrong (404, unknown model, 400 about the
   * model): no key of that endpoint will fare better. {@code UNSUPPORTED_REQUEST}: a 4xx about the
   * request's shape ({@code response_format}, strict schemas, {@code prompt_cache_key}, fields it does
   * not know), which a self-hosted server may send: the key tries the schema in the prompt instead.
   * {@code BAD_REQUEST}: any other refusal of this request.
   */
  public enum Kind {
    OK, RATE_LIMITED, QUOTA, UNAUTHORIZED, SERVER_ERROR, TIMEOUT, BAD_REQUEST, MODEL_UNAVAILABLE, UNSUPPORTED_REQUEST, CONNECTION
  }

  public static ChatOutcome noResponse(Kind kind, String message) {
    return new ChatOutcome(kind, 0, null, null, null, 0, 0, 0, RateLimitHeaders.none(), message);
  }
}
