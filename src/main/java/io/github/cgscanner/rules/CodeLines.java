package io.github.cgscanner.rules;

import java.util.BitSet;

/**
 * The lines of a file with comments blanked out (replaced by spaces, so columns and line count are
 * kept) and string literals left in place, plus where the string literals are: code rules then ignore
 * prose that merely names an API, in comments or in strings.
 */
record CodeLines(String[] lines, BitSet[] inString) {

  static CodeLines of(String[] raw, Lang lang) {
    String[] out = new String[raw.length];
    BitSet[] strings = new BitSet[raw.length];
    boolean inBlock = false;
    String quote = null;
    for (int n = 0; n < raw.length; n++) {
      String line = raw[n];
      StringBuilder b = new StringBuilder(line);
      BitSet s = new BitSet();
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
        } else if (quote != null) {
          if (line.startsWith(quote, i)) {
            i += quote.length() - 1;
            quote = null;
          } else {
            s.set(i);
            if (c == '\\' && i + 1 < line.length()) s.set(++i);
          }
        } else if (lang == Lang.PYTHON && (line.startsWith("\"\"\"", i) || line.startsWith("'''", i))) {
          quote = line.substring(i, i + 3);
          i += 2;
        } else if (c == '"' || c == '\'' || c == '`') {
          quote = String.valueOf(c);
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
      if (quote != null && quote.length() == 1 && !(quote.equals("`") && (lang == Lang.JS || lang == Lang.GO))) {
        quote = null;
      }
      out[n] = b.toString();
      strings[n] = s;
    }
    return new CodeLines(out, strings);
  }
}
