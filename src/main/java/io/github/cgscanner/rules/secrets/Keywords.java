package io.github.cgscanner.rules.secrets;

import java.util.List;

/**
 * Finds, case-insensitively, the words that make a line worth reading for a named secret: pass, pwd,
 * secret, token, key, auth, cred, salt, nonce, otp, hmac, mfa, the auth schemes bearer and basic, SQL's
 * identified, mysql (for {@code -p} passwords). A table of the keywords' first two letters is looked up
 * per character, so most characters cost one array read.
 */
final class Keywords {
  private Keywords() {}

  private static final List<String> WORDS = List.of(
      "pass", "pwd", "psw", "pw", "secret", "salt", "token", "key", "auth", "cred", "nonce", "otp", "bearer", "basic",
      "identified", "hmac", "mfa", "mysql", "ticket");

  /** For the two lower-cased characters {@code a b} at {@code a * 128 + b}: the keywords starting so. */
  private static final String[][] BY_START = index();

  private static String[][] index() {
    String[][] table = new String[128 * 128][];
    for (String w : WORDS) {
      int k = w.charAt(0) * 128 + w.charAt(1);
      String[] old = table[k] == null ? new String[0] : table[k];
      String[] grown = java.util.Arrays.copyOf(old, old.length + 1);
      grown[old.length] = w;
      table[k] = grown;
    }
    return table;
  }

  /** The offset of the next keyword in [from, to), or -1. */
  static int next(String t, int from, int to) {
    char next = from < to ? lower(t.charAt(from)) : 0;
    for (int i = from; i < to - 1; i++) {
      char c = next;
      next = lower(t.charAt(i + 1));
      if (c >= 128 || next >= 128) continue;
      String[] words = BY_START[c * 128 + next];
      if (words == null) continue;
      for (String w : words) {
        if (is(t, i, to, w)) return i;
      }
    }
    return -1;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** {@code word} (lower-case ASCII) at {@code at}, ignoring case. */
  static boolean is(String t, int at, int to, String word) {
    int n = word.length();
    if (at + n > to) return false;
    for (int i = 0; i < n; i++) {
      if (lower(t.charAt(at + i)) != word.charAt(i)) return false;
    }
    return true;
  }
}
