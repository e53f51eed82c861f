package io.github.cgscanner.rules;

import java.util.regex.Pattern;

/** Whether the value of a secret-named key is plausibly a real secret rather than code, text or a stand-in. */
final class GenericValues {
  private GenericValues() {}

  private static final Pattern WORDISH = Pattern.compile("[A-Za-z]+(?:[-_. ][A-Za-z]+)*");
  private static final Pattern PASSWORD_HASH = Pattern.compile("^\\$(?:2[aby]?|argon2\\w*|[156])\\$.*");
  /**
   * Prefixes of provider formats. A value that starts like one but did not pass that provider's own
   * check is a truncated, test-mode or made-up token, not a real credential.
   */
  private static final Pattern PROVIDER_PREFIX = Pattern.compile(
      "^(?:AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|[srp]k_(?:live|test)_|rk_test_|AIza|sk-|eyJ)");
  private static final Pattern NUMBER = Pattern.compile("[0-9.]+");

  static boolean plausible(String value, String key, boolean quoted) {
    if (value.length() < 8 || value.length() > 400) return false;
    if (value.chars().anyMatch(Character::isWhitespace)) return false;
    if (Placeholders.isPlaceholder(value) || Placeholders.isEnvLookup(value)) return false;
    if (SecretNames.squashed(value).equals(SecretNames.squashed(key))) return false;
    if (PROVIDER_PREFIX.matcher(value).find()) return false;
    if (NUMBER.matcher(value).matches() || PASSWORD_HASH.matcher(value).matches()) return false;
    if (value.contains("://") || value.startsWith("/") || value.startsWith("./") || value.startsWith("~/")
        || value.startsWith("classpath:") || value.startsWith("file:")) {
      return false;
    }
    if (!quoted && (value.contains("(") || value.startsWith("!") || value.startsWith("&") || value.startsWith("*"))) {
      return false;
    }
    double h = Entropy.shannon(value);
    if (WORDISH.matcher(value).matches() && (value.length() < 20 || h < 4.0)) return false;
    return h >= (value.length() >= 16 ? 3.0 : 2.5);
  }
}
