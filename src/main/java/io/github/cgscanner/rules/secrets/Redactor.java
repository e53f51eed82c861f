package io.github.cgscanner.rules.secrets;

import java.util.Comparator;
import java.util.List;

/**
 * Replaces secrets with {@code [REDACTED:<type>]}. Every newline inside a secret is kept, so the masked
 * text has exactly the lines of the original and line numbers stay true.
 */
public final class Redactor {
  private Redactor() {}

  public static String mask(String text, List<SecretMatch> secrets) {
    if (text == null || secrets == null || secrets.isEmpty()) return text;
    List<SecretMatch> ordered = secrets.stream().sorted(Comparator.comparingInt(SecretMatch::start)).toList();
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (SecretMatch s : ordered) {
      int start = Math.max(s.start(), at);
      int end = Math.min(s.end(), text.length());
      if (start >= end) continue;
      out.append(text, at, start);
      if (start == s.start()) out.append("[REDACTED:").append(s.type()).append(']');
      for (int i = start; i < end; i++) {
        if (text.charAt(i) == '\n') out.append('\n');
      }
      at = end;
    }
    out.append(text, at, text.length());
    return out.toString();
  }
}
