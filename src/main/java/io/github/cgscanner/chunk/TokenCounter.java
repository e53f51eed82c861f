package io.github.cgscanner.chunk;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts o200k_base tokens. One instance is shared by every thread: the encoding holds no per-call
 * state, and loading its vocabulary is the expensive part, so it happens once, on first use.
 */
public final class TokenCounter {
  private final Encoding encoding;

  private TokenCounter(Encoding encoding) {
    this.encoding = encoding;
  }

  private static final class Holder {
    static final TokenCounter SHARED =
        new TokenCounter(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
  }

  public static TokenCounter shared() {
    return Holder.SHARED;
  }

  /**
   * Tokens of {@code untrustedText} as plain text. The ordinary path is the only safe one here:
   * scanned code may contain {@code <|endoftext|>} and friends, which the special-token path would
   * either reject with an exception or count as a single control token.
   */
  public int count(String untrustedText) {
    if (untrustedText == null || untrustedText.isEmpty()) return 0;
    return encoding.countTokensOrdinary(untrustedText);
  }
}
