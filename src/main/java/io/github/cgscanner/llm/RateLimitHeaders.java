package io.github.cgscanner.llm;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider told us about its limits in one answer. Every field is null when absent. OpenAI
 * sends reset times as Go durations ({@code 6m0s}, {@code 20ms}); LiteLLM and some proxies send plain
 * numbers of seconds, so both are read.
 */
public record RateLimitHeaders(
    Long limitRequests,
    Long limitTokens,
    Long remainingRequests,
    Long remainingTokens,
    Long resetRequestsMs,
    Long resetTokensMs,
    Long retryAfterMs) {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s|us|µs|ns)");
  private static final Pattern TRY_AGAIN = Pattern.compile("(?i)try again in\\s+([0-9][0-9.hmsun]*)");

  public static RateLimitHeaders none() {
    return new RateLimitHeaders(null, null, null, null, null, null, null);
  }

  /**
   * @param header looks up a response header by (case-insensitive) name, null when absent
   * @param errorMessage the provider's error message of a 429, or null; only "try again in …" is read from it
   */
  public static RateLimitHeaders parse(Function<String, String> header, String errorMessage, long nowMillis) {
    Long retryAfter = number(header.apply("retry-after-ms"));
    if (retryAfter == null) {
      retryAfter = retryAfterHeader(header.apply("retry-after"), nowMillis);
    }
    if (retryAfter == null) {
      retryAfter = tryAgainIn(errorMessage);
    }
    return new RateLimitHeaders(
        number(header.apply("x-ratelimit-limit-requests")),
        number(header.apply("x-ratelimit-limit-tokens")),
        number(header.apply("x-ratelimit-remaining-requests")),
        number(header.apply("x-ratelimit-remaining-tokens")),
        durationMs(header.apply("x-ratelimit-reset-requests")),
        durationMs(header.apply("x-ratelimit-reset-tokens")),
        retryAfter);
  }

  /** {@code 6m0s}, {@code 1m30.5s}, {@code 20ms}, or a plain number of seconds ({@code 2}, {@code 0.5}); null when unreadable. */
  public static Long durationMs(String text) {
    if (text == null || text.isBlank()) return null;
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+(\\.\\d+)?")) {
        return Math.round(Double.parseDouble(t) * 1000);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    Matcher m = DURATION_PART.matcher(t);
    double ms = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) return null;
      double v = Double.parseDouble(m.group(1));
      ms += switch (m.group(2)) {
        case "h" -> v * 3_600_000;
        case "m" -> v * 60_000;
        case "s" -> v * 1000;
        case "ms" -> v;
        case "ns" -> v / 1_000_000;
        default -> v / 1000;
      };
      end = m.end();
    }
    return end == t.length() && end > 0 ? (long) Math.ceil(ms) : null;
  }

  /** The wait a 429 message asks for ("Please try again in 1.2s" / "in 350ms"), or null. */
  public static Long tryAgainIn(String message) {
    if (message == null) return null;
    Matcher m = TRY_AGAIN.matcher(message);
    if (!m.find()) return null;
    String d = m.group(1).replaceAll("\\.$", "");
    return durationMs(d);
  }

  private static Long retryAfterHeader(String value, long nowMillis) {
    if (value == null || value.isBlank()) return null;
    Long seconds = durationMs(value);
    if (seconds != null) return seconds;
    try {
      long at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowMillis);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Long number(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return (long) Math.floor(Double.parseDouble(text.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
