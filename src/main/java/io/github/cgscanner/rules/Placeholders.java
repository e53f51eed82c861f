package io.github.cgscanner.rules;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Values that look like secrets but are documentation, templates, test data or env lookups. */
final class Placeholders {
  private Placeholders() {}

  /** AWS's own documentation keys, printed in countless tutorials. */
  private static final Set<String> DOCUMENTED = Set.of(
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");

  private static final Pattern WORDS = Pattern.compile(
      "(?i)change[_-]?me|example|dummy|sample|placeholder|your[_-]?|redacted|fake|test|mock|x{4,}|\\*{3,}|\\.{3}|…"
          + "|insert[_-]?here|replace[_-]?me|_here\\b|-here\\b|todo|lorem|foobar");

  private static final Pattern TEMPLATE = Pattern.compile(
      "\\$\\{[^}]*}?|\\{\\{|\\}\\}|^<.*>$|^\\$[A-Za-z_][A-Za-z0-9_]*$|%\\(\\w+\\)s|%s|^\\{[A-Za-z_]+}$|^:[a-z_]+$|^@[A-Za-z_]+@$");

  private static final Pattern ENV_LOOKUP = Pattern.compile(
      "os\\.environ|os\\.getenv|getenv\\(|process\\.env|System\\.getenv|ENV\\[|ENV\\.fetch|\\benv\\(|"
          + "Environment\\.GetEnvironmentVariable|\\$ENV\\{|import\\.meta\\.env");

  private static final Set<String> PLAIN_WORDS = Set.of(
      "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "key", "null", "none", "nil",
      "true", "false", "undefined", "empty", "string", "admin", "root", "user", "username", "default", "required",
      "optional", "hidden", "encrypted", "str", "text", "value");

  static boolean isDocumented(String value) {
    return DOCUMENTED.contains(value) || value.endsWith("EXAMPLE") || value.endsWith("EXAMPLEKEY");
  }

  /** A value whose wording, templating or lack of variety says it is not a real credential. */
  static boolean isPlaceholder(String value) {
    if (isDocumented(value)) return true;
    if (PLAIN_WORDS.contains(value.toLowerCase(Locale.ROOT))) return true;
    if (WORDS.matcher(value).find() || TEMPLATE.matcher(value).find()) return true;
    return lowVariety(value);
  }

  static boolean isEnvLookup(String text) {
    return ENV_LOOKUP.matcher(text).find();
  }

  /** Few distinct characters or a long run of one character: keyboard filler, not random output. */
  private static boolean lowVariety(String value) {
    if (value.chars().distinct().count() <= 3) return true;
    int run = 1;
    for (int i = 1; i < value.length(); i++) {
      run = value.charAt(i) == value.charAt(i - 1) ? run + 1 : 1;
      if (run >= 6) return true;
    }
    return false;
  }
}
