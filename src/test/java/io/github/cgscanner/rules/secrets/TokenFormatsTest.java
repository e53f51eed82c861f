package io.github.cgscanner.rules.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per token family of {@link TokenFormats}: a value of the provider's format is found with its
 * type and masked in code, config and prose; the same prefix with a stand-in body is not.
 */
class TokenFormatsTest {
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String HEX = "0123456789abcdef";
  private static final String URLSAFE = ALNUM + "_-";
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String BASE64 = ALNUM + "+/";
  private static final String BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

  private static final Random RND = new Random(17);

  private static String of(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    while (b.length() < n) b.append(alphabet.charAt(RND.nextInt(alphabet.length())));
    // a digit and both cases where the alphabet has them, as generated keys do
    if (alphabet.contains("0") && n > 3) b.setCharAt(1, '7');
    return b.toString();
  }

  private static String digits(int n) {
    return of("0123456789", n);
  }

  /** An example per family, keyed "type prefix" so that every format of the table has one. */
  static final Map<String, String> SAMPLES = samples();

  private static Map<String, String> samples() {
    Map<String, String> s = new LinkedHashMap<>();
    for (String p : List.of("AKIA", "ASIA", "ABIA", "ACCA")) s.put("aws-access-key-id " + p, p + of(BASE32.replace("1", ""), 16));
    for (String p : List.of("AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA")) s.put("aws-unique-id " + p, p + of(BASE32, 17));
    s.put("google-api-key AIza", "AIza" + of(URLSAFE, 35));
    s.put("google-oauth-client-secret GOCSPX-", "GOCSPX-" + of(URLSAFE, 28));
    s.put("google-oauth-access-token ya29.", "ya29." + of(URLSAFE, 120));
    s.put("alibaba-access-key-id LTAI", "LTAI" + of(ALNUM, 20));
    s.put("tencent-secret-id AKID", "AKID" + of(ALNUM, 32));
    for (String p : List.of("dop_v1_", "doo_v1_", "dor_v1_")) s.put("digitalocean-token " + p, p + of(HEX, 64));
    s.put("databricks-token dapi", "dapi" + of(HEX, 32));
    s.put("azure-storage-sas sv=20", "sv=2021-06-08&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=" + of(ALNUM, 44) + "%3D");
    s.put("heroku-api-key HRKU-", "HRKU-" + of(URLSAFE, 60));
    s.put("fly-io-token fo1_", "fo1_" + of(URLSAFE, 43));
    s.put("supabase-token sbp_", "sbp_" + of(HEX, 40));
    s.put("planetscale-token pscale_tkn_", "pscale_tkn_" + of(ALNUM, 43));
    s.put("planetscale-password pscale_pw_", "pscale_pw_" + of(ALNUM, 43));
    s.put("cloudflare-origin-ca-key v1.0-", "v1.0-" + of(HEX, 24) + "-" + of(HEX, 146));
    s.put("yandex-api-key AQVN", "AQVN" + of(URLSAFE, 36));
    s.put("yandex-oauth-token y0_", "y0_" + of(URLSAFE, 55));
    for (String p : List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) s.put("github-token " + p, p + of(ALNUM, 36));
    s.put("github-fine-grained-pat github_pat_", "github_pat_" + of(ALNUM, 22) + "_" + of(ALNUM, 59));
    for (String p : List.of("glpat-", "glptt-", "glrt-", "gldt-", "glsoat-", "glcbt-", "glft-", "GR1348941")) {
      s.put("gitlab-token " + p, p + of(URLSAFE, 20));
    }
    s.put("atlassian-api-token ATATT3", "ATATT3" + of(URLSAFE, 186));
    s.put("buildkite-token bkua_", "bkua_" + of(HEX, 40));
    for (String p : List.of("sqp_", "squ_", "sqa_")) s.put("sonarqube-token " + p, p + of(HEX, 40));
    s.put("docker-hub-token dckr_pat_", "dckr_pat_" + of(URLSAFE, 27));
    s.put("npm-token npm_", "npm_" + of(ALNUM, 36));
    s.put("pypi-token pypi-AgEIcHlwaS5vcmc", "pypi-AgEIcHlwaS5vcmc" + of(URLSAFE, 70));
    s.put("rubygems-token rubygems_", "rubygems_" + of(HEX, 48));
    s.put("clojars-token CLOJARS_", "CLOJARS_" + of(LOWER_DIGITS, 60));
    s.put("jfrog-api-key AKCp", "AKCp" + of(ALNUM, 69));
    s.put("pulumi-token pul-", "pul-" + of(HEX, 40));
    s.put("terraform-cloud-token ", of(ALNUM, 14) + ".atlasv1." + of(URLSAFE, 67));
    s.put("hashicorp-vault-token hvs.", "hvs." + of(URLSAFE, 95));
    s.put("hashicorp-vault-token hvb.", "hvb." + of(URLSAFE, 138));
    for (String p : List.of("dp.pt.", "dp.st.", "dp.sa.", "dp.ct.")) s.put("doppler-token " + p, p + of(ALNUM, 43));
    s.put("octopus-deploy-key API-", "API-" + of(UPPER_DIGITS, 27));
    s.put("harness-token pat.", "pat." + of(URLSAFE, 22) + "." + of(HEX, 24) + "." + of(ALNUM, 20));
    s.put("prefect-token pnu_", "pnu_" + of(ALNUM, 36));
    s.put("readme-api-key rdme_", "rdme_" + of(LOWER_DIGITS, 70));
    s.put("sentry-token sntrys_eyJ", "sntrys_eyJ" + of(ALNUM, 120));
    s.put("sentry-token sntryu_", "sntryu_" + of(HEX, 64));
    s.put("infracost-key ico-", "ico-" + of(ALNUM, 32));
    s.put("scalingo-token tk-us-", "tk-us-" + of(URLSAFE, 48));
    s.put("intra42-secret s-s4t2ud-", "s-s4t2ud-" + of(HEX, 64));
    s.put("intra42-secret s-s4t2af-", "s-s4t2af-" + of(HEX, 64));
    for (String p : List.of("xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-")) {
      s.put("slack-token " + p, p + digits(12) + "-" + digits(13) + "-" + of(ALNUM, 24));
    }
    s.put("slack-token xoxe.xox", "xoxe.xoxp-1-" + of(ALNUM, 60));
    s.put("slack-token xoxe-", "xoxe-1-" + of(ALNUM, 140));
    s.put("slack-token xapp-", "xapp-1-A" + of(UPPER_DIGITS, 10) + "-" + digits(13) + "-" + of(HEX, 64));
    s.put("slack-webhook hooks.slack.com/", "https://hooks.slack.com/services/T" + of(UPPER_DIGITS, 10) + "/B"
        + of(UPPER_DIGITS, 10) + "/" + of(ALNUM, 24));
    s.put("discord-webhook discord.com/api/webhooks/", "https://discord.com/api/webhooks/" + digits(18) + "/" + of(URLSAFE, 68));
    s.put("discord-webhook discordapp.com/api/webhooks/", "https://discordapp.com/api/webhooks/" + digits(18) + "/"
        + of(URLSAFE, 68));
    s.put("teams-webhook ", "https://acme.webhook.office.com/webhookb2/" + of(HEX, 8) + "-" + of(HEX, 4) + "-" + of(HEX, 4)
        + "-" + of(HEX, 4) + "-" + of(HEX, 12) + "@" + of(HEX, 36) + "/IncomingWebhook/" + of(HEX, 32) + "/"
        + of(HEX, 8) + "-" + of(HEX, 4) + "-" + of(HEX, 4) + "-" + of(HEX, 4) + "-" + of(HEX, 12));
    s.put("telegram-bot-token ", digits(10) + ":AA" + of(URLSAFE, 33));
    s.put("twilio-api-key SK", "SK" + of(HEX, 32));
    s.put("sendgrid-api-key SG.", "SG." + of(URLSAFE, 22) + "." + of(URLSAFE, 43));
    s.put("sendinblue-api-key xkeysib-", "xkeysib-" + of(HEX, 64) + "-" + of(ALNUM, 16));
    s.put("mailgun-api-key key-", "key-" + of(LOWER_DIGITS, 32));
    s.put("mailchimp-api-key ", of(HEX, 32) + "-us14");
    s.put("stripe-live-key sk_live_", "sk_live_" + of(ALNUM, 24));
    s.put("stripe-live-key rk_live_", "rk_live_" + of(ALNUM, 24));
    s.put("stripe-test-key sk_test_", "sk_test_" + of(ALNUM, 24));
    s.put("stripe-test-key rk_test_", "rk_test_" + of(ALNUM, 24));
    s.put("stripe-webhook-secret whsec_", "whsec_" + of(ALNUM, 32));
    s.put("square-token sq0atp-", "sq0atp-" + of(URLSAFE, 22));
    s.put("square-token sq0csp-", "sq0csp-" + of(URLSAFE, 43));
    for (String p : List.of("shpat_", "shpca_", "shppa_", "shpss_")) s.put("shopify-token " + p, p + of(HEX, 32));
    s.put("flutterwave-secret-key FLWSECK", "FLWSECK_TEST-" + of("abcdefgh0123456789", 32) + "-X");
    s.put("shippo-token shippo_live_", "shippo_live_" + of(HEX, 40));
    s.put("easypost-api-key EZAK", "EZAK" + of(ALNUM, 54));
    s.put("duffel-token duffel_live_", "duffel_live_" + of(URLSAFE, 43));
    s.put("facebook-access-token EAAC", "EAAC" + of(ALNUM, 160));
    s.put("dropbox-token sl.", "sl." + of(URLSAFE, 136));
    for (String p : List.of("sk-proj-", "sk-svcacct-", "sk-admin-")) s.put("openai-api-key " + p, p + of(URLSAFE, 80));
    s.put("openai-api-key sk-", "sk-" + of(ALNUM, 20) + "T3BlbkFJ" + of(ALNUM, 20));
    s.put("anthropic-api-key sk-ant-", "sk-ant-api03-" + of(URLSAFE, 95));
    s.put("groq-api-key gsk_", "gsk_" + of(ALNUM, 52));
    s.put("perplexity-api-key pplx-", "pplx-" + of(ALNUM, 48));
    s.put("xai-api-key xai-", "xai-" + of(ALNUM, 80));
    s.put("huggingface-token hf_", "hf_" + of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34));
    s.put("replicate-token r8_", "r8_" + of(ALNUM, 37));
    s.put("langsmith-api-key lsv2_pt_", "lsv2_pt_" + of(HEX, 32) + "_" + of(HEX, 10));
    s.put("langsmith-api-key lsv2_sk_", "lsv2_sk_" + of(HEX, 32) + "_" + of(HEX, 10));
    s.put("linear-api-key lin_api_", "lin_api_" + of(ALNUM, 40));
    s.put("notion-token ntn_", "ntn_" + digits(11) + of(ALNUM, 35));
    s.put("notion-token secret_", "secret_" + of(ALNUM, 43));
    s.put("airtable-token pat", "pat" + of(ALNUM, 14) + "." + of(HEX, 64));
    s.put("postman-api-key PMAK-", "PMAK-" + of(HEX, 24) + "-" + of(HEX, 34));
    s.put("newrelic-api-key NRAK-", "NRAK-" + of(UPPER_DIGITS, 27));
    s.put("newrelic-api-key NRJS-", "NRJS-" + of(HEX, 19));
    s.put("dynatrace-token dt0c01.", "dt0c01." + of(UPPER_DIGITS, 24) + "." + of(UPPER_DIGITS, 64));
    s.put("mapbox-secret-token sk.eyJ", "sk.eyJ" + of(URLSAFE, 60) + "." + of(URLSAFE, 22));
    s.put("contentful-token CFPAT-", "CFPAT-" + of(URLSAFE, 43));
    s.put("typeform-token tfp_", "tfp_" + of(URLSAFE, 59));
    s.put("frameio-token fio-u-", "fio-u-" + of(URLSAFE, 64));
    s.put("adafruit-io-key aio_", "aio_" + of(ALNUM, 28));
    s.put("tailscale-key tskey-", "tskey-auth-" + of(ALNUM, 12) + "-" + of(ALNUM, 32));
    s.put("onepassword-token ops_eyJ", "ops_eyJ" + of(BASE64, 300));
    s.put("grafana-service-account-token glsa_", "glsa_" + of(ALNUM, 32) + "_" + of(HEX, 8));
    s.put("grafana-cloud-token glc_", "glc_" + of(BASE64, 120) + "=");
    s.put("grafana-api-key eyJrIjoi", "eyJrIjoi" + of(BASE64, 90) + "=");
    s.put("age-secret-key AGE-SECRET-KEY-1", "AGE-SECRET-KEY-1" + of(BECH32, 58));
    s.put("nats-nkey-seed S", "SU" + of(BASE32, 56));
    s.put("otp-seed ", "otpauth://totp/Acme:alice@acme.io?secret=" + of(BASE32, 32) + "&issuer=Acme");
    return s;
  }

  static Stream<Arguments> families() {
    return SAMPLES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void everyFormatHasACase() {
    List<String> missing = new ArrayList<>();
    for (TokenFormats.Format f : TokenFormats.ALL) {
      if (!SAMPLES.containsKey(f.type() + " " + f.prefix())) missing.add(f.type() + " " + f.prefix());
    }
    assertTrue(missing.isEmpty(), "formats without a case: " + missing);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void foundWithItsTypeAndMaskedEverywhere(String family, String value) {
    String type = family.substring(0, family.indexOf(' '));
    SecretDetector detector = new SecretDetector();
    Map<String, String> files = Map.of(
        "src/main/java/Config.java", "class Config {\n  static final String VALUE = \"" + value + "\";\n}\n",
        "deploy/values.yaml", "service:\n  endpoint: " + value + "\n",
        "docs/setup.md", "Run the job with `" + value + "` in place.\n");
    files.forEach((path, text) -> {
      List<SecretMatch> found = detector.find(path, text);
      assertTrue(found.stream().anyMatch(m -> m.type().equals(type)), family + " in " + path + ": " + found);
      assertFalse(Redactor.mask(text, found).contains(value), family + " left in clear in " + path);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void standInBodiesAreNotThatFamily(String family, String value) {
    String type = family.substring(0, family.indexOf(' '));
    String prefix = family.substring(family.indexOf(' ') + 1);
    if (prefix.isEmpty()) return;
    int n = value.length();
    for (String body : List.of("your_key_here_" + "x".repeat(n), "X".repeat(n), "EXAMPLE" + "0".repeat(n))) {
      String fake = prefix + body.substring(0, Math.max(0, n - prefix.length()));
      List<SecretMatch> found = new SecretDetector().find("app/settings.py", "VALUE = \"" + fake + "\"\n");
      assertTrue(found.stream().noneMatch(m -> m.type().equals(type)), family + " stand-in " + fake + ": " + found);
    }
  }

  @Test
  void stripeTestKeysAreReportedAtLowSeverityAndLiveKeysAtCritical() {
    assertEquals(Severity.LOW, SecretKind.of(TokenFormats.STRIPE_TEST_KEY).severity());
    assertEquals(Severity.CRITICAL, SecretKind.of("stripe-live-key").severity());
  }

  @Test
  void everyTypeHasAReadableLabel() {
    assertEquals("Sendgrid API key", SecretKind.of("sendgrid-api-key").label());
    assertEquals("AWS access key ID", SecretKind.of("aws-access-key-id").label());
    for (TokenFormats.Format f : TokenFormats.ALL) assertFalse(SecretKind.of(f.type()).label().isBlank(), f.type());
  }
}
