package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.TokenFormats.Format;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Finds the self-announcing formats of {@link TokenFormats} and bare UUIDs in one pass over the words of a
 * text (runs of letters, digits, {@code _ - .}): only a word whose first characters are a known prefix is
 * handed to that format's pattern, so text without tokens costs one table look-up per word.
 */
final class Tokens {
  static final String UUID = "uuid";

  /** Formats by the first two characters of their prefix. */
  private static final List<Format>[] BY_START = index();
  private static final List<Format> ANYWHERE = TokenFormats.ALL.stream().filter(f -> f.prefix().isEmpty()).toList();

  @SuppressWarnings("unchecked")
  private static List<Format>[] index() {
    List<Format>[] table = new List[128 * 128];
    for (Format f : TokenFormats.ALL) {
      if (f.prefix().isEmpty()) continue;
      if (f.prefix().length() == 1) {
        for (char second = 0; second < 128; second++) put(table, f.prefix().charAt(0), second, f);
      } else {
        put(table, f.prefix().charAt(0), f.prefix().charAt(1), f);
      }
    }
    return table;
  }

  private static void put(List<Format>[] table, char first, char second, Format f) {
    int k = first * 128 + second;
    if (table[k] == null) table[k] = new ArrayList<>();
    table[k].add(f);
  }

  private final String text;
  private final Candidates out;
  private final Map<Format, Matcher> matchers = new IdentityHashMap<>();

  Tokens(String text, Candidates out) {
    this.text = text;
    this.out = out;
  }

  static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.';
  }

  void find() {
    String t = text;
    int n = t.length();
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (!isWordChar(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isWordChar(t.charAt(i))) i++;
      if (i - start >= 2) word(start, i, c);
    }
    for (Format f : ANYWHERE) anywhere(f);
  }

  private void word(int start, int end, char first) {
    int len = end - start;
    if (len == 36 && Uuids.isUuid(text, start)) {
      Uuids.consider(text, start, out);
      return;
    }
    char second = text.charAt(start + 1);
    if (first >= 128 || second >= 128) return;
    List<Format> formats = BY_START[first * 128 + second];
    if (formats == null) return;
    for (Format f : formats) {
      if (f.wordLength() != 0 && f.wordLength() != len) continue;
      if (text.startsWith(f.prefix(), start) && tryAt(f, start)) return;
    }
  }

  private void anywhere(Format f) {
    int from = 0;
    int lastEnd = 0;
    while (true) {
      int at = text.indexOf(f.needle(), from);
      if (at < 0) return;
      from = at + f.needle().length();
      int start = at;
      while (start > lastEnd && isWordChar(text.charAt(start - 1))) start--;
      if (tryAt(f, start)) lastEnd = from;
    }
  }

  private boolean tryAt(Format f, int start) {
    Matcher m = matchers.computeIfAbsent(f, k -> k.pattern().matcher(text));
    m.region(start, Math.min(text.length(), start + 600));
    if (!m.lookingAt()) return false;
    int end = m.end();
    if (end < text.length() && isTokenChar(text.charAt(end)) && text.charAt(end - 1) != '=') return false;
    String value = text.substring(start, end);
    if (Shape.of(value).entropy < f.minEntropy() || Placeholders.isDocumented(value) || Placeholders.standsIn(value)) {
      return false;
    }
    Confidence c = Shape.of(value).lowVariety() ? Confidence.LOW : Confidence.HIGH;
    out.add(f.type(), start, end, Candidates.FORMAT, c);
    return true;
  }

  private static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }
}
