package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static RateLimitHeaders parse(Map<String, String> headers, String message, long now) {
    return RateLimitHeaders.parse(headers::get, message, now);
  }

  @Test
  void openAiDurations() {
    assertEquals(360_000L, RateLimitHeaders.durationMs("6m0s"));
    assertEquals(1_000L, RateLimitHeaders.durationMs("1s"));
    assertEquals(20L, RateLimitHeaders.durationMs("20ms"));
    assertEquals(90_500L, RateLimitHeaders.durationMs("1m30.5s"));
    assertEquals(3_723_000L, RateLimitHeaders.durationMs("1h2m3s"));
    assertEquals(1_234L, RateLimitHeaders.durationMs("1.234s"));
  }

  @Test
  void integerAndDecimalSeconds() {
    assertEquals(2_000L, RateLimitHeaders.durationMs("2"));
    assertEquals(500L, RateLimitHeaders.durationMs("0.5"));
    assertEquals(0L, RateLimitHeaders.durationMs("0"));
  }

  /** Azure OpenAI: remaining counts without limits or reset times, and a 429's retry-after-ms. */
  @Test
  void azureRemainingCountsAlone() {
    RateLimitHeaders h = parse(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-remaining-tokens", "1200",
        "retry-after-ms", "1500", "retry-after", "2"), "Requests to the ChatCompletions_Create Operation have exceeded the rate limit", 0);
    assertEquals(0L, h.remainingRequests());
    assertEquals(1200L, h.remainingTokens());
    assertNull(h.limitRequests());
    assertNull(h.resetRequestsMs());
    assertNull(h.resetTokensMs());
    assertEquals(1500L, h.retryAfterMs());
  }

  @Test
  void garbageIsNull() {
    assertNull(RateLimitHeaders.durationMs("soon"));
    assertNull(RateLimitHeaders.durationMs("1x"));
    assertNull(RateLimitHeaders.durationMs("s1"));
    assertNull(RateLimitHeaders.durationMs(""));
    assertNull(RateLimitHeaders.durationMs(null));
  }

  @Test
  void fullOpenAiHeaderSet() {
    RateLimitHeaders h = parse(Map.of(
        "x-ratelimit-limit-requests", "500",
        "x-ratelimit-limit-tokens", "200000",
        "x-ratelimit-remaining-requests", "499",
        "x-ratelimit-remaining-tokens", "198765",
        "x-ratelimit-reset-requests", "120ms",
        "x-ratelimit-reset-tokens", "6m0s"), null, 0);
    assertEquals(new RateLimitHeaders(500L, 200000L, 499L, 198765L, 120L, 360_000L, null), h);
  }

  @Test
  void liteLlmIntegerHeaders() {
    RateLimitHeaders h = parse(Map.of(
        "x-ratelimit-limit-requests", "60",
        "x-ratelimit-remaining-requests", "0",
        "x-ratelimit-reset-requests", "3",
        "x-ratelimit-reset-tokens", "1"), null, 0);
    assertEquals(60L, h.limitRequests());
    assertEquals(0L, h.remainingRequests());
    assertEquals(3_000L, h.resetRequestsMs());
    assertEquals(1_000L, h.resetTokensMs());
    assertNull(h.limitTokens());
  }

  @Test
  void retryAfterMsWinsOverSecondsAndMessage() {
    RateLimitHeaders h = parse(Map.of("retry-after-ms", "750", "retry-after", "2"), "Please try again in 5s.", 0);
    assertEquals(750L, h.retryAfterMs());
  }

  @Test
  void retryAfterSeconds() {
    assertEquals(2_000L, parse(Map.of("retry-after", "2"), null, 0).retryAfterMs());
  }

  @Test
  void retryAfterHttpDate() {
    long now = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(now + 7_000).atZone(ZoneOffset.UTC));
    assertEquals(7_000L, parse(Map.of("retry-after", date), null, now).retryAfterMs());
    assertEquals(0L, parse(Map.of("retry-after", date), null, now + 60_000).retryAfterMs());
  }

  @Test
  void tryAgainMessage() {
    String msg = "Rate limit reached for gpt-5.4-mini in organization org-x on tokens per min (TPM): Limit 200000, Used 199000, "
        + "Requested 1500. Please try again in 1.2s. Visit https://platform.openai.com/account/rate-limits";
    assertEquals(1_200L, parse(Map.of(), msg, 0).retryAfterMs());
    assertEquals(350L, RateLimitHeaders.tryAgainIn("Please try again in 350ms."));
    assertEquals(60_500L, RateLimitHeaders.tryAgainIn("Please try again in 1m0.5s."));
    assertNull(RateLimitHeaders.tryAgainIn("Something else went wrong"));
  }

  @Test
  void nothingPresent() {
    assertEquals(RateLimitHeaders.none(), parse(Map.of(), null, 0));
  }
}
