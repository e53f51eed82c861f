package io.github.cgscanner.rules;

import io.github.cgscanner.domain.Severity;
import java.util.Map;

/** How each secret type is reported. */
record SecretKind(String type, String label, Severity severity, String confidence) {

  static final String AWS_ACCESS_KEY_ID = "aws-access-key-id";
  static final String AWS_SECRET_ACCESS_KEY = "aws-secret-access-key";
  static final String GITHUB_TOKEN = "github-token";
  static final String GITHUB_FINE_GRAINED_PAT = "github-fine-grained-pat";
  static final String SLACK_TOKEN = "slack-token";
  static final String STRIPE_LIVE_KEY = "stripe-live-key";
  static final String GOOGLE_API_KEY = "google-api-key";
  static final String OPENAI_API_KEY = "openai-api-key";
  static final String PRIVATE_KEY = "private-key";
  static final String JWT = "jwt";
  static final String URL_CREDENTIALS = "url-credentials";
  static final String GENERIC_SECRET = "generic-secret";

  private static final Map<String, SecretKind> ALL = Map.ofEntries(
      kind(AWS_ACCESS_KEY_ID, "AWS access key ID", Severity.HIGH, "high"),
      kind(AWS_SECRET_ACCESS_KEY, "AWS secret access key", Severity.CRITICAL, "high"),
      kind(GITHUB_TOKEN, "GitHub token", Severity.HIGH, "high"),
      kind(GITHUB_FINE_GRAINED_PAT, "GitHub fine-grained personal access token", Severity.HIGH, "high"),
      kind(SLACK_TOKEN, "Slack token", Severity.HIGH, "high"),
      kind(STRIPE_LIVE_KEY, "Stripe live API key", Severity.CRITICAL, "high"),
      kind(GOOGLE_API_KEY, "Google API key", Severity.HIGH, "high"),
      kind(OPENAI_API_KEY, "OpenAI API key", Severity.HIGH, "high"),
      kind(PRIVATE_KEY, "Private key", Severity.CRITICAL, "high"),
      kind(JWT, "JSON Web Token", Severity.HIGH, "medium"),
      kind(URL_CREDENTIALS, "Password in a URL", Severity.HIGH, "medium"),
      kind(GENERIC_SECRET, "Hard-coded secret", Severity.HIGH, "medium"));

  private static Map.Entry<String, SecretKind> kind(String type, String label, Severity s, String confidence) {
    return Map.entry(type, new SecretKind(type, label, s, confidence));
  }

  static SecretKind of(String type) {
    SecretKind k = ALL.get(type);
    return k != null ? k : new SecretKind(type, "Secret", Severity.HIGH, "medium");
  }

  String title() {
    return label + " in source";
  }

  String description() {
    return label + " committed in clear. Anyone who can read this repository, a clone, a build log or "
        + "the git history can use it, and it stays valid until revoked.";
  }

  String recommendation() {
    return "Revoke and rotate this credential now (deleting the line does not remove it from git history), "
        + "then load it at run time from a secret manager or an environment variable kept out of the repository.";
  }
}
