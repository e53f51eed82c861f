package io.github.cgscanner.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough reading of C-family expressions for the rules: where an expression ends, a call's
 * arguments, top-level operands, string literals. Brackets and string literals are respected; nothing
 * else of the grammar is needed or attempted.
 */
final class Expressions {
  /** Calls whose arguments run longer than this are not read (generated code, unbalanced brackets). */
  static final int MAX_SPAN = 2_000;

  private Expressions() {}

  /** The index just past the literal opening at {@code open} (a quote), or the text's length. */
  static int skipLiteral(String text, int open) {
    char q = text.charAt(open);
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') i++;
      else if (c == q) return i + 1;
      else if (c == '\n' && q != '`') return i;
    }
    return text.length();
  }

  /**
   * The arguments of the call whose '(' is just before {@code from}, each stripped; null when the call
   * does not close within {@link #MAX_SPAN} characters.
   */
  static List<String> arguments(String text, int from) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    int start = from;
    int limit = Math.min(text.length(), from + MAX_SPAN);
    for (int i = from; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipLiteral(text, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          String last = text.substring(start, i).strip();
          if (!last.isEmpty() || !args.isEmpty()) args.add(last);
          return args;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    return null;
  }

  /** Where the expression starting at {@code from} ends: a top-level , ; or a closing bracket of an outer level. */
  static int end(String text, int from) {
    int depth = 0;
    int limit = Math.min(text.length(), from + MAX_SPAN);
    for (int i = from; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipLiteral(text, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) return i;
        depth--;
      } else if ((c == ',' || c == ';') && depth == 0) {
        return i;
      }
    }
    return limit;
  }

  /** {@code expr} cut at top-level occurrences of {@code op} (a '+' of '++' or '+=' does not cut). */
  static List<String> split(String expr, char op) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipLiteral(expr, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == op && depth == 0 && !doubled(expr, i, op)) {
        parts.add(expr.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(expr.substring(start).strip());
    return parts;
  }

  private static boolean doubled(String expr, int i, char op) {
    char next = i + 1 < expr.length() ? expr.charAt(i + 1) : 0;
    char prev = i > 0 ? expr.charAt(i - 1) : 0;
    return op == '+' && (next == '+' || prev == '+' || next == '=');
  }

  /** The value of a double-quoted string literal that is the whole of {@code expr}; null otherwise. */
  static String stringLiteral(String expr) {
    if (expr.length() < 2 || expr.charAt(0) != '"' || skipLiteral(expr, 0) != expr.length()) return null;
    StringBuilder b = new StringBuilder();
    for (int i = 1; i < expr.length() - 1; i++) {
      char c = expr.charAt(i);
      if (c == '\\' && i + 1 < expr.length() - 1) {
        char e = expr.charAt(++i);
        b.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> e;
        });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A number, character, boolean or null literal. */
  static boolean scalarLiteral(String expr) {
    return expr.matches("-?(?:0[xX][\\da-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)[lLfFdD]?|'(?:\\\\.|[^'\\\\])+'|true|false|null");
  }
}
