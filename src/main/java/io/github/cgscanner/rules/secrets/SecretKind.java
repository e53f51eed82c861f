package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.domain.Severity;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How a secret type is reported: its label and severity. */
public record SecretKind(String type, String label, Severity severity) {

  private static final Map<String, SecretKind> NAMED = Map.ofEntries(
      kind(PrivateKeys.TYPE, "Private key", Severity.CRITICAL),
      kind(NamedValues.AWS_SECRET, "AWS secret access key", Severity.CRITICAL),
      kind("stripe-live-key", "Stripe live API key", Severity.CRITICAL),
      kind(TokenFormats.STRIPE_TEST_KEY, "Stripe test-mode API key", Severity.LOW),
      kind(TokenFormats.AWS_ACCESS_KEY_ID, "AWS access key ID", Severity.HIGH),
      kind(TokenFormats.AWS_UNIQUE_ID, "AWS IAM unique ID", Severity.LOW),
      kind(Jwts.TYPE, "JSON Web Token", Severity.HIGH),
      kind(UrlCredentials.TYPE, "Password in a URL", Severity.HIGH),
      kind(NamedValues.PASSWORD, "Hard-coded password", Severity.HIGH),
      kind(NamedValues.GENERIC, "Hard-coded secret", Severity.HIGH),
      kind(AuthSchemes.BASIC, "HTTP Basic credentials", Severity.HIGH),
      kind(AuthSchemes.BEARER, "Bearer token", Severity.HIGH),
      kind(Tokens.UUID, "UUID-shaped value (possible API key or client secret)", Severity.LOW));

  private static final Set<String> ACRONYMS = Set.of(
      "api", "aws", "id", "io", "ca", "sas", "url", "pat", "ai", "ci", "sql", "jwt", "ssh", "otp", "mfa");

  private static Map.Entry<String, SecretKind> kind(String type, String label, Severity s) {
    return Map.entry(type, new SecretKind(type, label, s));
  }

  public static SecretKind of(String type) {
    SecretKind k = NAMED.get(type);
    return k != null ? k : new SecretKind(type, label(type), Severity.HIGH);
  }

  /** {@code sendgrid-api-key} → "Sendgrid API key". */
  private static String label(String type) {
    StringBuilder b = new StringBuilder();
    for (String w : type.split("-")) {
      if (b.length() > 0) b.append(' ');
      if (ACRONYMS.contains(w)) b.append(w.toUpperCase(Locale.ROOT));
      else if (b.length() == 0) b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
      else b.append(w);
    }
    return b.toString();
  }

  public String title() {
    return label + " in source";
  }

  public String description() {
    return label + " committed in clear. Anyone who can read this repository, a clone, a build log or "
        + "the git history can use it, and it stays valid until revoked.";
  }

  public String recommendation() {
    return "Revoke and rotate this credential now (deleting the line does not remove it from git history), "
        + "then load it at run time from a secret manager or an environment variable kept out of the repository.";
  }
}
