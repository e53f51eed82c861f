package io.github.cgscanner.rules.secrets;

import java.util.Locale;
import java.util.Set;

/**
 * Reads the value a name is given, starting from the name, in the syntaxes of code and config:
 * {@code name = "v"}, {@code name: v}, {@code "name": "v"}, {@code 'name' => 'v'}, {@code name := "v"},
 * {@code NAME=v}, {@code <name>v</name>}, {@code name="v"} attributes and keyword arguments,
 * {@code setName("v")} and {@code name("v")} calls, {@code put("name", "v")} pairs, {@code --name v} flags,
 * {@code NAME 'v'} (SQL, DSLs) and comparisons {@code name == "v"}. What stands after the operator is read
 * by {@link Literals}.
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

    Pair withColon() {
      return new Pair(nameStart, nameEnd, valueStart, valueEnd, quoted, list, op, true);
    }
  }

  static final int MAX_NAME = 80;

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
      return Literals.tag(t, ns, ne, p + 1, lineEnd);
    }
    boolean indexed = p < lineEnd && t.charAt(p) == ']';
    if (indexed) p++;
    int afterName = p;
    p = Literals.skipSpaces(t, p, lineEnd);
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
    p = Literals.skipSpaces(t, p, lineEnd);
    p = Literals.skipWrappers(t, p, lineEnd);
    if (p < 0 || p >= lineEnd) return null;
    Pair pair = Literals.value(t, ns, ne, p, lineEnd, op, bare);
    return pair == null || c != ':' ? pair : pair.withColon();
  }

  private static boolean quoteFollows(CharSequence t, int p, int lineEnd) {
    int q = Literals.skipSpaces(t, p, lineEnd);
    return q < lineEnd && (t.charAt(q) == '"' || t.charAt(q) == '\'');
  }

  /** Past {@code : String =} in {@code val password: String = "…"} (Kotlin, Scala, TypeScript, Python hints). */
  private static int pastTypeAnnotation(CharSequence t, int p, int lineEnd) {
    int q = Literals.skipSpaces(t, p, lineEnd);
    int id = q;
    while (q < lineEnd && q - id < 40 && (isNameChar(t.charAt(q)) || "<>[]?|".indexOf(t.charAt(q)) >= 0)) q++;
    if (q == id || !Character.isLetter(t.charAt(id)) || q >= lineEnd || t.charAt(q) != ' ') return p;
    q = Literals.skipSpaces(t, q, lineEnd);
    if (q + 1 >= lineEnd || t.charAt(q) != '=' || t.charAt(q + 1) == '=') return p;
    int value = Literals.skipSpaces(t, q + 1, lineEnd);
    return value < lineEnd && (t.charAt(value) == '"' || t.charAt(value) == '\'') ? q + 1 : p;
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

}
