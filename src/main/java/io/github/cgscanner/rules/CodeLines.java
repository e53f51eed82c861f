package io.github.cgscanner.rules;

/**
 * The lines of a file with comments blanked out (replaced by spaces, so columns and line count are
 * kept) and string literals left in place: code rules then ignore prose that merely names an API.
 */
final class CodeLines {
  private CodeLines() {}

  static String[] of(String[] lines, Lang lang) {
    String[] out = new String[lines.length];
    boolean inBlock = false;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      StringBuilder b = new StringBuilder(line);
      char quote = 0;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
        if (inBlock) {
          b.setCharAt(i, ' ');
          if (c == '*' && next == '/') {
            b.setCharAt(i + 1, ' ');
            i++;
            inBlock = false;
          }
        } else if (quote != 0) {
          if (c == '\\') i++;
          else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'' || c == '`') {
          quote = c;
        } else if (lang.slashComments() && c == '/' && next == '*') {
          b.setCharAt(i, ' ');
          b.setCharAt(i + 1, ' ');
          i++;
          inBlock = true;
        } else if ((lang.slashComments() && c == '/' && next == '/') || (lang.hashComments() && c == '#')) {
          for (int j = i; j < line.length(); j++) b.setCharAt(j, ' ');
          break;
        }
      }
      out[n] = b.toString();
    }
    return out;
  }
}
