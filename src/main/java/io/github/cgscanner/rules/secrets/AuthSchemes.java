package io.github.cgscanner.rules.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP authorization credentials after their scheme: {@code Basic <base64 of user:password>} and
 * {@code Bearer <token>}, wherever they are written (a header, a curl line, a recorded HTTP exchange).
 */
final class AuthSchemes {
  private AuthSchemes() {}

  static final String BASIC = "basic-auth";
  static final String BEARER = "bearer-token";

  /**
   * Reads the scheme at {@code at}; returns where reading may go on. {@code anyScheme}: the text is the
   * value of an authorization header, so any scheme word (ApiKey, Token, Bot, …) counts, not only
   * Basic and Bearer.
   */
  static int at(String t, int at, int to, boolean anyScheme, FileContext ctx, Candidates out) {
    boolean basic = Keywords.is(t, at, to, "basic ");
    boolean bearer = Keywords.is(t, at, to, "bearer ");
    int word = at;
    while (word < to && Character.isLetter(t.charAt(word))) word++;
    if (!basic && !bearer && !(anyScheme && word > at && word < to && t.charAt(word) == ' ')) return at + 1;
    int s = Literals.skipSpaces(t, word, to);
    int e = s;
    while (e < to && isCredentialChar(t.charAt(e))) e++;
    if (e - s < 8) return e;
    String value = t.substring(s, e);
    if (Placeholders.isPlaceholder(value)) return e;
    Confidence c = basic ? basic(value) : bearer(value);
    if (c != null) out.add(basic ? BASIC : BEARER, s, e, Candidates.STRUCTURED, ctx.lowTrust() ? c.lower() : c);
    return e;
  }

  private static boolean isCredentialChar(char c) {
    return Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '.' || c == '~';
  }

  /** Base64 of printable text; with a colon (user:password) it is what Basic carries. */
  private static Confidence basic(String v) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (raw.length < 3) return null;
    for (byte b : raw) {
      if (b < 0x20 || b > 0x7e) return null;
    }
    String decoded = new String(raw, StandardCharsets.US_ASCII);
    int colon = decoded.indexOf(':');
    if (colon < 0) return Confidence.LOW;
    return colon + 1 < decoded.length() ? Confidence.MEDIUM : null;
  }

  private static Confidence bearer(String v) {
    Shape s = Shape.of(v);
    return s.random(16) ? Confidence.MEDIUM : null;
  }
}
