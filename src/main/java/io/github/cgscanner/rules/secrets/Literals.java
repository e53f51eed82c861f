package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Pairs.Op;
import io.github.cgscanner.rules.secrets.Pairs.Pair;
import java.util.Locale;
import java.util.Set;

/**
 * The value after a name's operator: a string literal (also inside a wrapping call or cast), a list of
 * strings or numbers, an XML element's text, or a bare value where one counts; and the text helpers the
 * readers of a line share.
 */
final class Literals {
  private Literals() {}

  static final int MAX_VALUE = 4_096;

  /** Calls and casts that only carry their literal argument on: {@code String("…")}, {@code unhexlify('…')}. */
  private static final Set<String> WRAPPERS = Set.of(
      "string", "str", "bytes", "byte", "[]byte", "from", "decode", "b64decode", "base64decode", "decodebase64",
      "decodestring", "atob", "unhexlify", "fromhex", "hex2bin", "unhex", "hexdecode", "decodehex", "secret",
      "secretstr", "secretstring", "securestring", "password", "stringencoder", "bytestring", "getbytes", "encode",
      "tochararray", "valueof", "of", "literal", "buffer", "text", "sensitive", "redacted", "masked");

  /**
   * Past calls and casts that only wrap a literal: {@code String("…")}, {@code Base64.decode("…")},
   * {@code b"…"}, {@code @"…"}. Returns {@code p} when no literal is wrapped there, -1 when the value is
   * looked up (an environment variable, a config key).
   */
  static int skipWrappers(CharSequence t, int p, int lineEnd) {
    int q = p;
    int wrapped = 0;
    for (int depth = 0; depth < 3 && q < lineEnd; depth++) {
      char c = t.charAt(q);
      boolean brackets = c == '[' && q + 1 < lineEnd && t.charAt(q + 1) == ']';
      if (c == '"' || c == '\'' || c == '`' || c == '{' || c == '[' && !brackets) return wrapped == 0 || soleArgument(t, q, lineEnd) ? q : -1;
      if ((c == '@' || c == '$') && q + 1 < lineEnd && (t.charAt(q + 1) == '"' || t.charAt(q + 1) == '\'')) return q + 1;
      if (regionIs(t, q, lineEnd, "new ")) q = skipSpaces(t, q + 4, lineEnd);
      int id = q;
      while (q < lineEnd && (Pairs.isNameChar(t.charAt(q)) || t.charAt(q) == '[' || t.charAt(q) == ']')) q++;
      if (q == id || q >= lineEnd) return p;
      c = t.charAt(q);
      String callee = t.subSequence(id, q).toString();
      if (c == '(') {
        if (Placeholders.isEnvLookup(callee + "(")) return -1;
        String last = callee.substring(callee.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!WRAPPERS.contains(last)) return p;
        wrapped++;
        q = skipSpaces(t, q + 1, lineEnd);
      } else if (c == '{' && callee.endsWith("byte")) {
        return q;
      } else if ((c == '"' || c == '\'') && q - id <= 2) {
        return q;
      } else {
        return p;
      }
    }
    return p;
  }

  /** The literal at {@code open} is all its call is given: a {@code )} follows it. */
  private static boolean soleArgument(CharSequence t, int open, int lineEnd) {
    char q = t.charAt(open);
    if (q != '"' && q != '\'' && q != '`') return true;
    int close = closingQuote(t, open, lineEnd);
    if (close < 0) return false;
    int after = skipSpaces(t, close + 1, lineEnd);
    return after < lineEnd && t.charAt(after) == ')';
  }

  static Pair value(CharSequence t, int ns, int ne, int p, int lineEnd, Op op, boolean bare) {
    char q = t.charAt(p);
    if (q == '"' || q == '\'' || q == '`') {
      if (p + 2 < lineEnd && t.charAt(p + 1) == q && t.charAt(p + 2) == q) return null;
      if (op == Op.CALL && !soleArgument(t, p, lineEnd)) return null;
      int close = closingQuote(t, p, lineEnd);
      if (close < 0 || close - p - 1 > MAX_VALUE) return null;
      return new Pair(ns, ne, p + 1, close, true, op);
    }
    if (q == '{' || q == '[') {
      int end = numberList(t, p, lineEnd);
      if (end >= 0) return new Pair(ns, ne, p, end, false, true, op);
      int first = skipSpaces(t, p + 1, lineEnd);
      if (q == '[' && first < lineEnd && (t.charAt(first) == '"' || t.charAt(first) == '\'')) {
        int close = closingQuote(t, first, lineEnd);
        return close < 0 ? null : new Pair(ns, ne, first + 1, close, true, op);
      }
      return null;
    }
    if (!bare || op == Op.CALL || op == Op.PAIR || op == Op.SPACE) return null;
    int e = p;
    while (e < lineEnd && e - p <= MAX_VALUE && !endsBare(t.charAt(e))) e++;
    if (e < lineEnd && t.charAt(e) == '(') return null;
    return e == p ? null : new Pair(ns, ne, p, e, false, op);
  }

  private static boolean endsBare(char c) {
    return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '"' || c == '\'' || c == '`' || c == '&' || c == '<'
        || c == ')' || c == ']' || c == '}' || c == '|' || c == '\r' || c == '[' || c == '{' || c == '(' || c == '\\';
  }

  /** The end of a list of at least eight small numbers ({@code []byte{6, 81, …}}), or -1. */
  private static int numberList(CharSequence t, int p, int lineEnd) {
    int numbers = 0;
    int i = p + 1;
    while (i < lineEnd) {
      char c = t.charAt(i);
      if (c == '}' || c == ']') break;
      if (c >= '0' && c <= '9') {
        numbers++;
        while (i < lineEnd && (Character.isLetterOrDigit(t.charAt(i)))) i++;
        continue;
      }
      if (c != ',' && c != ' ' && c != '\t') return -1;
      i++;
    }
    return numbers >= 8 ? i : -1;
  }

  static Pair tag(CharSequence t, int ns, int ne, int p, int lineEnd) {
    int e = p;
    while (e < lineEnd && t.charAt(e) != '<' && e - p <= MAX_VALUE) e++;
    if (e >= lineEnd || e == p || e + 1 >= lineEnd || t.charAt(e + 1) != '/') return null;
    return new Pair(ns, ne, p, e, true, Op.TAG);
  }

  static int closingQuote(CharSequence t, int open, int lineEnd) {
    char q = t.charAt(open);
    for (int i = open + 1; i < lineEnd; i++) {
      char c = t.charAt(i);
      if (c == '\\') i++;
      else if (c == q) return i;
    }
    return -1;
  }

  static int skipSpaces(CharSequence t, int p, int lineEnd) {
    while (p < lineEnd && (t.charAt(p) == ' ' || t.charAt(p) == '\t')) p++;
    return p;
  }

  static boolean regionIs(CharSequence t, int at, int lineEnd, String s) {
    if (at < 0 || at + s.length() > lineEnd) return false;
    for (int i = 0; i < s.length(); i++) {
      if (t.charAt(at + i) != s.charAt(i)) return false;
    }
    return true;
  }
}
