package io.github.cgscanner.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the string values of an expression can be, from the file alone: literals, concatenations and
 * choices of literals, names whose every assignment in the file is such an expression, and
 * configuration lookups ({@code getProperty("key", "default")}) through {@link ConfigValues}. It is
 * flow-insensitive on purpose: a name assigned anything else anywhere in the file, assigned with
 * {@code +=}, or never assigned here (a parameter, a field set elsewhere) is not constant, so the
 * answer errs towards "could be anything". Names are read in Java and C# only, where an '=' inside
 * parentheses is an assignment (other than in annotations, which are skipped).
 */
final class Constants {
  /** The possible string values found, and whether they are all the values there can be. */
  record Resolution(List<String> values, boolean complete) {
    static final Resolution UNKNOWN = new Resolution(List.of(), false);
    static final Resolution CONSTANT = new Resolution(List.of(), true);

    static Resolution of(String value) {
      return new Resolution(List.of(value), true);
    }
  }

  private static final Pattern NAME = Pattern.compile("(?:this\\.)?([A-Za-z_$][\\w$]*)");
  private static final Pattern QUALIFIED_CONSTANT = Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)+([A-Z][A-Z0-9_]*)");
  private static final Pattern UPPER = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern CAST = Pattern.compile("^\\(\\s*[A-Z][\\w.]*(?:<[^()]*>)?\\s*\\)\\s*");
  private static final Pattern LOOKUP = Pattern.compile("^(?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)*getProperty\\s*\\(");
  private static final int MAX_DEPTH = 5;
  /** Expressions one question may look at: a name assigned in hundreds of places is not worth following. */
  private static final int MAX_STEPS = 400;

  private final String text;
  private final boolean readsNames;
  private final ConfigValues config;
  private Map<String, List<String>> assigned;
  private Set<String> mutated;
  private int steps;

  Constants(String text, Lang lang, ConfigValues config) {
    this.text = text;
    this.readsNames = lang == Lang.JAVA || lang == Lang.CSHARP;
    this.config = config;
  }

  Resolution resolve(String expr) {
    steps = 0;
    return resolve(expr.strip(), 0, new HashSet<>());
  }

  private Resolution resolve(String expr, int depth, Set<String> visiting) {
    if (depth > MAX_DEPTH || ++steps > MAX_STEPS || expr.isEmpty()) return Resolution.UNKNOWN;
    String e = unwrap(expr);
    String literal = Expressions.stringLiteral(e);
    if (literal != null) return Resolution.of(literal);
    if (Expressions.scalarLiteral(e)) return Resolution.CONSTANT;
    List<String> sum = Expressions.split(e, '+');
    if (sum.size() > 1) return concatenation(sum, depth, visiting);
    int question = topLevel(e, '?');
    if (question > 0) {
      int colon = topLevel(e.substring(question + 1), ':');
      if (colon < 0) return Resolution.UNKNOWN;
      return union(List.of(e.substring(question + 1, question + 1 + colon), e.substring(question + 2 + colon)), depth, visiting);
    }
    Matcher lookup = LOOKUP.matcher(e);
    if (lookup.find()) return lookup(e, lookup.end());
    return name(e, depth, visiting);
  }

  private Resolution concatenation(List<String> parts, int depth, Set<String> visiting) {
    StringBuilder value = new StringBuilder();
    boolean single = true;
    boolean complete = true;
    for (String part : parts) {
      Resolution r = resolve(part, depth + 1, visiting);
      complete &= r.complete();
      if (r.values().size() == 1) value.append(r.values().get(0));
      else single = false;
    }
    return new Resolution(single ? List.of(value.toString()) : List.of(), complete);
  }

  /** A configuration lookup: the values the repository's configuration sets, else the default given here. */
  private Resolution lookup(String e, int afterParen) {
    List<String> args = Expressions.arguments(e, afterParen);
    String key = args == null || args.isEmpty() ? null : Expressions.stringLiteral(args.get(0));
    if (key == null) return Resolution.UNKNOWN;
    List<String> configured = config.valuesOf(key);
    if (!configured.isEmpty()) return new Resolution(configured, false);
    String fallback = args.size() > 1 ? Expressions.stringLiteral(args.get(1)) : null;
    return fallback == null ? Resolution.UNKNOWN : new Resolution(List.of(fallback), false);
  }

  private Resolution name(String e, int depth, Set<String> visiting) {
    if (!readsNames) return Resolution.UNKNOWN;
    Matcher qualified = QUALIFIED_CONSTANT.matcher(e);
    if (qualified.matches() && !e.startsWith("this.")) return Resolution.CONSTANT;
    Matcher m = NAME.matcher(e);
    if (!m.matches()) return Resolution.UNKNOWN;
    String name = m.group(1);
    index();
    if (mutated.contains(name) || !visiting.add(name)) return Resolution.UNKNOWN;
    List<String> rhs = assigned.get(name);
    if (rhs == null) return UPPER.matcher(name).matches() ? Resolution.CONSTANT : Resolution.UNKNOWN;
    Resolution r = union(rhs, depth, visiting);
    visiting.remove(name);
    return r;
  }

  private Resolution union(List<String> exprs, int depth, Set<String> visiting) {
    List<String> values = new ArrayList<>();
    boolean complete = true;
    for (String x : exprs) {
      Resolution r = resolve(x.strip(), depth + 1, visiting);
      complete &= r.complete();
      for (String v : r.values()) if (!values.contains(v)) values.add(v);
    }
    return new Resolution(values, complete);
  }

  private static String unwrap(String expr) {
    String e = expr;
    while (true) {
      Matcher cast = CAST.matcher(e);
      if (cast.find() && cast.end() < e.length()) {
        e = e.substring(cast.end()).strip();
      } else if (e.startsWith("(") && e.endsWith(")") && Expressions.end(e, 1) == e.length() - 1) {
        e = e.substring(1, e.length() - 1).strip();
      } else {
        return e;
      }
    }
  }

  private static int topLevel(String e, char c) {
    int depth = 0;
    for (int i = 0; i < e.length(); i++) {
      char x = e.charAt(i);
      if (x == '"' || x == '\'') i = Expressions.skipLiteral(e, i) - 1;
      else if (x == '(' || x == '[' || x == '{') depth++;
      else if (x == ')' || x == ']' || x == '}') depth--;
      else if (x == c && depth == 0) return i;
    }
    return -1;
  }

  /** Every {@code name = expr} of the file, and the names also changed another way ({@code +=}, {@code ++}). */
  private void index() {
    if (assigned != null) return;
    assigned = new HashMap<>();
    mutated = new HashSet<>();
    List<Boolean> annotation = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        i = Expressions.skipLiteral(text, i) - 1;
      } else if (c == '(') {
        annotation.add(precededByAnnotation(i));
      } else if (c == ')') {
        if (!annotation.isEmpty()) annotation.remove(annotation.size() - 1);
      } else if (c == '=' && !annotation.contains(Boolean.TRUE)) {
        assignment(i);
      } else if (c == '+' && i + 1 < text.length() && text.charAt(i + 1) == '+') {
        String before = nameBefore(i);
        String after = nameAfter(i + 2);
        if (before != null) mutated.add(before);
        if (after != null) mutated.add(after);
        i++;
      }
    }
  }

  private void assignment(int eq) {
    char next = eq + 1 < text.length() ? text.charAt(eq + 1) : 0;
    char prev = eq > 0 ? text.charAt(eq - 1) : 0;
    if (next == '=' || next == '>' || prev == '=' || prev == '!') return;
    if ("+-*/%&|^<>?".indexOf(prev) >= 0) {
      String target = nameBefore(eq - 1);
      if (target != null) mutated.add(target);
      return;
    }
    String target = nameBefore(eq);
    if (target == null) return;
    int end = Expressions.end(text, eq + 1);
    assigned.computeIfAbsent(target, k -> new ArrayList<>()).add(text.substring(eq + 1, end).strip());
  }

  /** The identifier ending just before {@code at} (spaces skipped), unless it is a member of something else. */
  private String nameBefore(int at) {
    int j = at - 1;
    while (j >= 0 && Character.isWhitespace(text.charAt(j))) j--;
    int end = j + 1;
    while (j >= 0 && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_' || text.charAt(j) == '$')) j--;
    if (j + 1 == end || Character.isDigit(text.charAt(j + 1))) return null;
    String name = text.substring(j + 1, end);
    if (j >= 0 && text.charAt(j) == '.' && !text.substring(0, j).endsWith("this")) return null;
    return name;
  }

  private String nameAfter(int from) {
    int j = from;
    while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
    return j == from ? null : text.substring(from, j);
  }

  private boolean precededByAnnotation(int paren) {
    int j = paren - 1;
    while (j >= 0 && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_' || text.charAt(j) == '.')) j--;
    return j >= 0 && j < paren - 1 && text.charAt(j) == '@';
  }
}
