package io.github.cgscanner.rules.secrets;

import java.util.Locale;
import java.util.Set;

/**
 * Reads the value a name is given, starting from the name, in the syntaxes of code and config:
 * {@code name = "v"}, {@code name: v}, {@code "name": "v"}, {@code 'name' => 'v'}, {@code name := "v"},
 * {@code NAME=v}, {@code <name>v</name>}, {@code name="v"} attributes and keyword arguments,
 * {@code setName("v")} and {@code name("v")} calls, {@code put("name", "v")} pairs, {@code --name v} flags,
 * {@code NAME 'v'} (SQL, DSLs) and comparisons {@code name == "v"}.
 */
final class Pairs {
  private Pairs() {}

  enum Op { ASSIGN, COMPARE, CALL, PAIR, TAG, FLAG, SPACE }

  /**
   * A name and its value; {@code quoted} when the value is a string literal, {@code list} when it is a
   * list of numbers (bytes).
   */
  record Pair(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean quoted, boolean list, Op op, boolean colon) {
    Pair(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean quoted, Op op) {
      this(nameStart, nameEnd, valueStart, valueEnd, quoted, false, op, false);
    }

    Pair(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean quoted, boolean list, Op op) {
      this(nameStart, nameEnd, valueStart, valueEnd, quoted, list, op, false);
    }
  }

  /** Calls and casts that only carry their literal argument on: {@code String("…")}, {@code unhexlify('…')}. */
  private static final Set<String> WRAPPERS = Set.of(
      "string", "str", "bytes", "byte", "[]byte", "from", "decode", "b64decode", "base64decode", "decodebase64",
      "decodestring", "atob", "unhexlify", "fromhex", "hex2bin", "unhex", "hexdecode", "decodehex", "secret",
      "secretstr", "secretstring", "securestring", "password", "stringencoder", "bytestring", "getbytes", "encode",
      "tochararray", "valueof", "of", "literal", "buffer", "text", "sensitive", "redacted", "masked");

  static final int MAX_NAME = 80;
  static final int MAX_VALUE = 4_096;

  static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.';
  }

  /** The end of the name that holds {@code at}, or -1 when it is no name (too long). */
  static int nameEnd(CharSequence t, int at, int lineEnd) {
    int e = at;
    while (e < lineEnd && isNameChar(t.charAt(e))) e++;
    while (e > at && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) e--;
    return e;
  }

  static int nameStart(CharSequence t, int at, int lineStart) {
    int s = at;
    while (s > lineStart && isNameChar(t.charAt(s - 1))) s--;
    while (s < at && t.charAt(s) == '.') s++;
    return s;
  }

  /**
   * The value given to the name at [ns, ne), or null. {@code bare} says whether an unquoted value counts
   * here (config, shell, prose, or inside a string literal of code).
   */
  static Pair valueOf(CharSequence t, int ns, int ne, int lineStart, int lineEnd, boolean bare) {
    if (ne - ns > MAX_NAME) return null;
    int p = ne;
    char before = ns > lineStart ? t.charAt(ns - 1) : '\n';
    boolean quotedName = false;
    if ((before == '"' || before == '\'' || before == '`') && p < lineEnd && t.charAt(p) == before) {
      quotedName = true;
      p++;
    } else if (before == '<' && p < lineEnd && t.charAt(p) == '>') {
      return tag(t, ns, ne, p + 1, lineEnd);
    }
    boolean indexed = p < lineEnd && t.charAt(p) == ']';
    if (indexed) p++;
    int afterName = p;
    p = skipSpaces(t, p, lineEnd);
    if (p >= lineEnd) return null;
    char c = t.charAt(p);
    char n1 = p + 1 < lineEnd ? t.charAt(p + 1) : 0;
    char n2 = p + 2 < lineEnd ? t.charAt(p + 2) : 0;
    Op op;
    if (c == '=' && n1 == '=') {
      op = Op.COMPARE;
      p += n2 == '=' ? 3 : 2;
    } else if (c == '!' || c == '<' && n1 != '-' || c == '>' || c == '~') {
      return null;
    } else if (c == ':' && n1 == '=' || c == '=' && n1 == '>' || c == '<' && n1 == '-' || c == '?' && n1 == '=') {
      op = Op.ASSIGN;
      p += 2;
    } else if (c == '|' && n1 == '|' && n2 == '=') {
      op = Op.ASSIGN;
      p += 3;
    } else if (c == '=' || c == ':' && n1 != ':' && (p == afterName || quotedName && quoteFollows(t, p + 1, lineEnd))) {
      op = Op.ASSIGN;
      p++;
      if (c == ':') p = pastTypeAnnotation(t, p, lineEnd);
    } else if (c == '(' && p == afterName && !indexed) {
      op = Op.CALL;
      p++;
    } else if (c == ',' && quotedName && !indexed && firstItem(t, ns - 1, lineStart) && pairCall(t, ns - 1, lineStart)) {
      op = Op.PAIR;
      p++;
    } else if (p > afterName && t.charAt(ns) == '-') {
      op = Op.FLAG;
    } else if (p > afterName && (c == '"' || c == '\'')) {
      op = Op.SPACE;
    } else {
      return null;
    }
    p = skipSpaces(t, p, lineEnd);
    p = skipWrappers(t, p, lineEnd);
    if (p < 0 || p >= lineEnd) return null;
    Pair pair = literal(t, ns, ne, p, lineEnd, op, bare);
    return pair == null || c != ':' ? pair
        : new Pair(pair.nameStart(), pair.nameEnd(), pair.valueStart(), pair.valueEnd(), pair.quoted(), pair.list(), op, true);
  }

  private static boolean quoteFollows(CharSequence t, int p, int lineEnd) {
    int q = skipSpaces(t, p, lineEnd);
    return q < lineEnd && (t.charAt(q) == '"' || t.charAt(q) == '\'');
  }

  /**
   * Past calls and casts that only wrap a literal: {@code String("…")}, {@code Base64.decode("…")},
   * {@code b"…"}, {@code @"…"}. Returns {@code p} when no literal is wrapped there, -1 when the value is
   * looked up (an environment variable, a config key).
   */
  private static int skipWrappers(CharSequence t, int p, int lineEnd) {
    int q = p;
    int wrapped = 0;
    for (int depth = 0; depth < 3 && q < lineEnd; depth++) {
      char c = t.charAt(q);
      boolean brackets = c == '[' && q + 1 < lineEnd && t.charAt(q + 1) == ']';
      if (c == '"' || c == '\'' || c == '`' || c == '{' || c == '[' && !brackets) return wrapped == 0 || soleArgument(t, q, lineEnd) ? q : -1;
      if ((c == '@' || c == '$') && q + 1 < lineEnd && (t.charAt(q + 1) == '"' || t.charAt(q + 1) == '\'')) return q + 1;
      if (regionIs(t, q, lineEnd, "new ")) q = skipSpaces(t, q + 4, lineEnd);
      int id = q;
      while (q < lineEnd && (isNameChar(t.charAt(q)) || t.charAt(q) == '[' || t.charAt(q) == ']')) q++;
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

  /** Past {@code : String =} in {@code val password: String = "…"} (Kotlin, Scala, TypeScript, Python hints). */
  private static int pastTypeAnnotation(CharSequence t, int p, int lineEnd) {
    int q = skipSpaces(t, p, lineEnd);
    int id = q;
    while (q < lineEnd && q - id < 40 && (isNameChar(t.charAt(q)) || "<>[]?|".indexOf(t.charAt(q)) >= 0)) q++;
    if (q == id || !Character.isLetter(t.charAt(id)) || q >= lineEnd || t.charAt(q) != ' ') return p;
    q = skipSpaces(t, q, lineEnd);
    if (q + 1 >= lineEnd || t.charAt(q) != '=' || t.charAt(q + 1) == '=') return p;
    int value = skipSpaces(t, q + 1, lineEnd);
    return value < lineEnd && (t.charAt(value) == '"' || t.charAt(value) == '\'') ? q + 1 : p;
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

  private static Pair literal(CharSequence t, int ns, int ne, int p, int lineEnd, Op op, boolean bare) {
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

  /** Calls that take a name and its value: {@code put("k", "v")}, {@code setenv("K", "v")}, a tuple. */
  private static final Set<String> PAIR_CALLS = Set.of(
      "", "put", "set", "add", "with", "param", "header", "setheader", "addheader", "setenv", "putenv", "setproperty",
      "setitem", "append", "entry", "pair", "keyvaluepair", "tuple", "of", "setenvironmentvariable", "property",
      "define", "config", "option", "field", "cookie", "setcookie");

  private static boolean pairCall(CharSequence t, int quote, int lineStart) {
    int i = quote - 1;
    while (i >= lineStart && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) i--;
    if (i < lineStart || t.charAt(i) != '(') return i >= lineStart;
    int j = i;
    if (j > lineStart && t.charAt(j - 1) == '>') {
      int depth = 0;
      do {
        char c = t.charAt(--j);
        if (c == '>') depth++;
        else if (c == '<') depth--;
      } while (j > lineStart && depth > 0);
    }
    int idEnd = j;
    while (j > lineStart && isNameChar(t.charAt(j - 1))) j--;
    String callee = t.subSequence(j, idEnd).toString();
    return PAIR_CALLS.contains(callee.substring(callee.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
  }

  /** The name's opening quote is the first item of a call or list: {@code ("name", "v")}. */
  private static boolean firstItem(CharSequence t, int quote, int lineStart) {
    int i = quote - 1;
    while (i >= lineStart && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) i--;
    return i >= lineStart && (t.charAt(i) == '(' || t.charAt(i) == '[' || t.charAt(i) == '{');
  }

  private static Pair tag(CharSequence t, int ns, int ne, int p, int lineEnd) {
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
