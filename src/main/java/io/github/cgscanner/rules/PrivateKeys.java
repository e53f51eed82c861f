package io.github.cgscanner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM private key blocks, whole (BEGIN to END) or truncated (BEGIN and the base64 lines after it). */
final class PrivateKeys {
  private PrivateKeys() {}

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----");
  private static final Pattern BASE64_LINE = Pattern.compile("^[\\s\"'+,]*[A-Za-z0-9+/=]{40,}(?:\\\\n)?[\"',+\\s]*$");
  private static final int MAX_BLOCK = 20_000;

  /** [start, end) spans of the private keys in the text. */
  static List<int[]> find(String text) {
    List<int[]> out = new ArrayList<>();
    Matcher m = BEGIN.matcher(text);
    int from = 0;
    while (from < text.length() && m.find(from)) {
      String endMarker = "-----END " + m.group(1) + "PRIVATE KEY" + (m.group(2) == null ? "" : m.group(2)) + "-----";
      int endAt = text.indexOf(endMarker, m.end());
      int[] span = null;
      if (endAt >= 0 && endAt - m.end() <= MAX_BLOCK) {
        if (realBody(text.substring(m.end(), endAt))) span = new int[] {m.start(), endAt + endMarker.length()};
      } else {
        int end = truncatedEnd(text, m.end());
        if (end > m.end()) span = new int[] {m.start(), end};
      }
      if (span != null) out.add(span);
      from = span != null ? span[1] : m.end();
    }
    return out;
  }

  /** A real key body has plenty of base64; documentation shows "..." or a few letters. */
  private static boolean realBody(String body) {
    String lower = body.toLowerCase();
    if (body.contains("...") || body.contains("…") || lower.contains("xxxx") || body.contains("<")) return false;
    long base64 = body.chars().filter(c -> Character.isLetterOrDigit(c) || c == '+' || c == '/').count();
    return base64 >= 64;
  }

  private static int truncatedEnd(String text, int after) {
    int lineEnd = text.indexOf('\n', after);
    int end = after;
    while (lineEnd >= 0 && lineEnd + 1 < text.length()) {
      int next = text.indexOf('\n', lineEnd + 1);
      int stop = next < 0 ? text.length() : next;
      if (!BASE64_LINE.matcher(text.substring(lineEnd + 1, stop)).matches()) break;
      end = stop;
      lineEnd = next;
    }
    return end;
  }
}
