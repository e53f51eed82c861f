package io.github.cgscanner.rules.secrets;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passwords in URLs ({@code scheme://user:password@host}); the password is the match. Documentation
 * forms (USER:PASS, user:password, hosts reserved for examples) are left out.
 */
final class UrlCredentials {
  private UrlCredentials() {}

  static final String TYPE = "url-credentials";

  private static final Pattern USERINFO = Pattern.compile(
      "[A-Za-z][A-Za-z0-9+.-]{0,15}://([^\\s:/?#@'\"`<>\\[\\]{}]{1,100}):([^\\s/?#'\"`<>{}]{1,200})@([^\\s/'\"`<>@]+)");

  /** Hosts reserved for documentation (RFC 2606). */
  private static final Pattern EXAMPLE_HOST = Pattern.compile("(?i)^(?:[\\w-]+\\.)*example(?:\\.(?:com|org|net))?(?:[:/].*)?$");

  /** Words written where a reader is to put their own password (or user), in docs and usage lines. */
  private static final Set<String> STAND_INS = Set.of(
      "pass", "password", "passwd", "pwd", "pw", "secret", "token", "pass123", "mypass", "mypassword", "yourpassword",
      "your_password", "xxx", "xxxx", "xxxxx", "xxxxxx", "p", "x", "foo", "bar", "baz");
  private static final Set<String> USER_STAND_INS = Set.of(
      "user", "username", "usr", "login", "name", "u", "x", "xxx", "foo", "me", "myuser", "myusername", "your_user",
      "youruser");

  static void find(String text, Candidates out) {
    int at = text.indexOf("://");
    if (at < 0) return;
    Matcher m = USERINFO.matcher(text);
    while (at >= 0) {
      int start = at;
      while (start > 0 && at - start < 16 && isSchemeChar(text.charAt(start - 1))) start--;
      m.region(start, Math.min(text.length(), at + 400));
      if (start < at && m.lookingAt()) {
        consider(m, out);
        at = text.indexOf("://", m.end());
      } else {
        at = text.indexOf("://", at + 3);
      }
    }
  }

  private static boolean isSchemeChar(char c) {
    return Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-';
  }

  private static void consider(Matcher m, Candidates out) {
    String user = m.group(1);
    String pass = m.group(2);
    boolean standIn = STAND_INS.contains(pass.toLowerCase(Locale.ROOT));
    if (pass.length() < 4 || pass.chars().allMatch(Character::isDigit) && pass.length() < 7 || standIn && USER_STAND_INS.contains(user.toLowerCase(Locale.ROOT))) return;
    if (EXAMPLE_HOST.matcher(m.group(3)).matches() || Placeholders.isPlaceholder(pass)) return;
    if (isIdentifierLike(user) && isIdentifierLike(pass) || pass.startsWith("$") || pass.startsWith("%")
        || pass.contains("\\") || pass.contains("(") || pass.contains("*")) {
      return;
    }
    boolean weak = standIn || pass.equalsIgnoreCase(user) || Placeholders.soundsFake(pass) || pass.length() < 4;
    Confidence c = weak ? Confidence.LOW : Confidence.MEDIUM;
    out.add(TYPE, m.start(2), m.end(2), Candidates.STRUCTURED, c);
  }

  /** USER, DB_PASSWORD: the names of values a reader is to fill in. */
  private static boolean isIdentifierLike(String s) {
    return s.matches("[A-Z][A-Z0-9_]*");
  }
}
