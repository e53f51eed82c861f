package io.github.cgscanner.rules;

import java.util.Set;

/** Reads the first argument of a call (or right-hand side) and says how it is made. */
final class CallArgs {
  private CallArgs() {}

  enum Shape {
    /** Only literals: nothing an attacker can reach. */
    LITERAL,
    /** A variable or call result, no string built here. */
    VARIABLE,
    /** A string built from literals and variables: concatenation, interpolation, formatting. */
    BUILT
  }

  /** Words that appear in literal-only arguments ({@code new String[]{"ls"}}, {@code List.of("a")}). */
  private static final Set<String> NEUTRAL = Set.of(
      "new", "String", "Array", "List", "of", "Arrays", "asList", "true", "false", "null", "None", "True", "False",
      "nil", "array", "string", "shell");

  /** The shape of the argument starting at {@code from} in {@code line}, up to a top-level , ) ; or the end. */
  static Shape firstArg(String line, int from, Lang lang) {
    boolean literal = false;
    boolean variable = false;
    boolean interpolated = false;
    int depth = 0;
    int i = from;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        char prefix = i > 0 ? line.charAt(i - 1) : ' ';
        int close = closing(line, i);
        String body = line.substring(i + 1, Math.min(close, line.length()));
        literal = true;
        interpolated |= interpolates(c, prefix, body, lang);
        i = close + 1;
        continue;
      }
      if (Character.isLetter(c) || c == '_' || c == '$') {
        int j = i + 1;
        while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) j++;
        String word = line.substring(i, j);
        boolean stringPrefix = j < line.length() && "\"'".indexOf(line.charAt(j)) >= 0
            && word.matches("[fFrRbBuU]{1,2}|\\$|@");
        if (!stringPrefix && !NEUTRAL.contains(word)) variable = true;
        i = j;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') depth++;
      else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) break;
        depth--;
      } else if ((c == ',' || c == ';') && depth == 0) break;
      i++;
    }
    if (interpolated || (literal && variable)) return Shape.BUILT;
    return variable ? Shape.VARIABLE : Shape.LITERAL;
  }

  private static int closing(String line, int open) {
    char q = line.charAt(open);
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') i++;
      else if (c == q) return i;
    }
    return line.length();
  }

  private static boolean interpolates(char quote, char prefix, String body, Lang lang) {
    if (quote == '`') return body.contains("${") || (lang == Lang.PHP && body.matches("(?s).*\\$[A-Za-z_].*"));
    if (prefix == 'f' || prefix == 'F') return body.matches("(?s).*\\{[^{}]+}.*");
    if (prefix == '$' && lang == Lang.CSHARP) return body.contains("{");
    if (quote == '"' && lang == Lang.RUBY) return body.contains("#{");
    if (quote == '"' && (lang == Lang.PHP || lang == Lang.SHELL)) return body.matches("(?s).*\\$\\{?[A-Za-z_].*");
    if (quote == '"' && lang == Lang.JAVA) return body.contains("${");
    return false;
  }
}
