package io.github.cgscanner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds key/value pairs in the syntaxes of code and config files: {@code key = "v"}, {@code key: v},
 * {@code "key": "v"}, {@code 'key' => 'v'}, {@code key := "v"}, {@code KEY=v}, {@code <key>v</key>}.
 */
final class Assignments {
  private Assignments() {}

  private static final Pattern ASSIGN = Pattern.compile(
      "(?<![A-Za-z0-9_.$@-])([\"']?)([A-Za-z_$@][A-Za-z0-9_.$@-]{0,80})\\1"
          // a TS/Kotlin/Scala type annotation between the name and '='
          + "(?:\\s*:\\s*[A-Za-z_][\\w.<>\\[\\]?]{0,40}(?=\\s*=[^=]))?"
          + "\\s*(?::=|=>|=(?![=>~])|:(?![:=]))\\s*"
          + "(?:\"([^\"\\n]{0,400})\"|'([^'\\n]{0,400})'|`([^`\\n]{0,400})`|([^\\s\"'`,;#<>]{1,400}))");

  private static final Pattern XML = Pattern.compile("<([A-Za-z_][\\w.-]{0,60})>([^<>\\s]{1,400})</\\1>");

  /** Assignments on {@code line}, which starts at {@code offset} in the text. */
  static List<Assignment> onLine(String line, int offset) {
    List<Assignment> out = new ArrayList<>();
    Matcher m = ASSIGN.matcher(line);
    int from = 0;
    while (from < line.length() && m.find(from)) {
      int g = m.group(3) != null ? 3 : m.group(4) != null ? 4 : m.group(5) != null ? 5 : 6;
      char before = m.start() > 0 ? line.charAt(m.start() - 1) : '\n';
      out.add(new Assignment(m.group(2), m.group(g), offset + m.start(g), offset + m.end(g), g != 6, before));
      // a quoted value may itself hold pairs: "Server=db;User Id=app;Password=..."
      from = g != 6 ? m.start(g) : m.end();
    }
    Matcher x = XML.matcher(line);
    while (x.find()) {
      out.add(new Assignment(x.group(1), x.group(2), offset + x.start(2), offset + x.end(2), true, '<'));
    }
    return out;
  }
}
