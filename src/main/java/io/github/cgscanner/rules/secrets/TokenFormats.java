package io.github.cgscanner.rules.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Credential formats that announce themselves: a provider prefix, then a body of known alphabet and length.
 * Written from the providers' documented formats (gitleaks' and trufflehog's rule lists were read as a
 * checklist of families). Each format's {@code prefix} is the literal its matches start with, checked before
 * the pattern runs; {@code minEntropy} keeps filler such as {@code sk_live_xxxxxxxx} out.
 */
final class TokenFormats {
  private TokenFormats() {}

  /**
   * {@code needle}: for a format with no prefix, a literal its matches contain, looked for in the word
   * before the pattern runs; {@code wordLength}: when not 0, the exact length of the word the match is.
   */
  record Format(String type, String prefix, String needle, Pattern pattern, double minEntropy, int wordLength) {}

  private static Format f(String type, String prefix, String body, double minEntropy) {
    return new Format(type, prefix, "", Pattern.compile(Pattern.quote(prefix) + body), minEntropy, 0);
  }

  private static Format anywhere(String type, String needle, String regex, double minEntropy) {
    return new Format(type, "", needle, Pattern.compile(regex), minEntropy, 0);
  }

  static final String AWS_ACCESS_KEY_ID = "aws-access-key-id";
  static final String STRIPE_TEST_KEY = "stripe-test-key";
  static final String AWS_UNIQUE_ID = "aws-unique-id";

  static final List<Format> ALL = List.of(
      // cloud providers
      aws("AKIA"), aws("ASIA"), aws("ABIA"), aws("ACCA"),
      awsId("AGPA"), awsId("AIDA"), awsId("AROA"), awsId("AIPA"), awsId("ANPA"), awsId("ANVA"), awsId("APKA"),
      f("google-api-key", "AIza", "[0-9A-Za-z_-]{35}", 3.5),
      f("google-oauth-client-secret", "GOCSPX-", "[0-9A-Za-z_-]{28}", 3.5),
      f("google-oauth-access-token", "ya29.", "[0-9A-Za-z_-]{30,500}", 3.5),
      f("alibaba-access-key-id", "LTAI", "[A-Za-z0-9]{20}", 3.5),
      f("tencent-secret-id", "AKID", "[A-Za-z0-9]{32}", 3.5),
      f("digitalocean-token", "dop_v1_", "[a-f0-9]{64}", 3.0),
      f("digitalocean-token", "doo_v1_", "[a-f0-9]{64}", 3.0),
      f("digitalocean-token", "dor_v1_", "[a-f0-9]{64}", 3.0),
      f("databricks-token", "dapi", "[a-f0-9]{32}(?:-\\d)?", 3.0),
      f("azure-storage-sas", "sv=20", "\\d\\d-\\d\\d-\\d\\d&[^\\s\"'<>]{0,300}?sig=[A-Za-z0-9%+/]{40,}", 3.0),
      f("heroku-api-key", "HRKU-", "[A-Za-z0-9_-]{60}", 3.5),
      f("fly-io-token", "fo1_", "[A-Za-z0-9_-]{43}", 3.5),
      f("supabase-token", "sbp_", "[a-f0-9]{40}", 3.0),
      f("planetscale-token", "pscale_tkn_", "[A-Za-z0-9_.-]{32,64}", 3.5),
      f("planetscale-password", "pscale_pw_", "[A-Za-z0-9_.-]{32,64}", 3.5),
      f("cloudflare-origin-ca-key", "v1.0-", "[a-f0-9]{24}-[a-f0-9]{146}", 3.0),
      f("yandex-api-key", "AQVN", "[A-Za-z0-9_-]{35,38}", 3.5),
      f("yandex-oauth-token", "y0_", "[A-Za-z0-9_-]{55}", 3.5),
      // code hosting and CI
      f("github-token", "ghp_", "[A-Za-z0-9]{36,251}", 3.5),
      f("github-token", "gho_", "[A-Za-z0-9]{36,251}", 3.5),
      f("github-token", "ghu_", "[A-Za-z0-9]{36,251}", 3.5),
      f("github-token", "ghs_", "[A-Za-z0-9]{36,251}", 3.5),
      f("github-token", "ghr_", "[A-Za-z0-9]{36,251}", 3.5),
      f("github-fine-grained-pat", "github_pat_", "[A-Za-z0-9]{22}_[A-Za-z0-9]{59,200}", 3.5),
      f("gitlab-token", "glpat-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "glptt-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "glrt-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "gldt-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "glsoat-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "glcbt-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "glft-", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("gitlab-token", "GR1348941", "[A-Za-z0-9_-]{20,60}", 3.0),
      f("atlassian-api-token", "ATATT3", "[A-Za-z0-9_=-]{180,200}", 3.5),
      f("buildkite-token", "bkua_", "[a-f0-9]{40}", 3.0),
      f("sonarqube-token", "sqp_", "[a-f0-9]{40}", 3.0),
      f("sonarqube-token", "squ_", "[a-f0-9]{40}", 3.0),
      f("sonarqube-token", "sqa_", "[a-f0-9]{40}", 3.0),
      f("docker-hub-token", "dckr_pat_", "[A-Za-z0-9_-]{27}", 3.5),
      f("npm-token", "npm_", "[A-Za-z0-9]{36}", 3.5),
      f("pypi-token", "pypi-AgEIcHlwaS5vcmc", "[A-Za-z0-9_-]{50,}", 3.5),
      f("rubygems-token", "rubygems_", "[a-f0-9]{48}", 3.0),
      f("clojars-token", "CLOJARS_", "[a-z0-9]{60}", 3.0),
      f("jfrog-api-key", "AKCp", "[A-Za-z0-9]{69}", 3.5),
      f("pulumi-token", "pul-", "[a-f0-9]{40}", 3.0),
      anywhere("terraform-cloud-token", ".atlasv1.", "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}", 3.5),
      f("hashicorp-vault-token", "hvs.", "[A-Za-z0-9_-]{90,120}", 3.5),
      f("hashicorp-vault-token", "hvb.", "[A-Za-z0-9_-]{130,200}", 3.5),
      f("doppler-token", "dp.pt.", "[A-Za-z0-9]{40,44}", 3.5),
      f("doppler-token", "dp.st.", "[A-Za-z0-9_.-]{40,80}", 3.5),
      f("doppler-token", "dp.sa.", "[A-Za-z0-9]{40,44}", 3.5),
      f("doppler-token", "dp.ct.", "[A-Za-z0-9]{40,44}", 3.5),
      f("octopus-deploy-key", "API-", "[A-Z0-9]{26,32}", 3.5),
      f("harness-token", "pat.", "[A-Za-z0-9_-]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}", 3.5),
      f("prefect-token", "pnu_", "[A-Za-z0-9]{36}", 3.5),
      f("readme-api-key", "rdme_", "[a-z0-9]{70}", 3.5),
      f("sentry-token", "sntrys_eyJ", "[A-Za-z0-9+/=_-]{50,400}", 3.5),
      f("sentry-token", "sntryu_", "[a-f0-9]{64}", 3.0),
      f("infracost-key", "ico-", "[A-Za-z0-9]{32}", 3.5),
      f("scalingo-token", "tk-us-", "[A-Za-z0-9_-]{48}", 3.5),
      f("intra42-secret", "s-s4t2ud-", "[a-f0-9]{64}", 3.0),
      f("intra42-secret", "s-s4t2af-", "[a-f0-9]{64}", 3.0),
      // messaging, mail, payments
      f("slack-token", "xoxb-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxp-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxa-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxo-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxs-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxr-", "\\d{1,16}-[0-9A-Za-z-]{8,250}", 3.0),
      f("slack-token", "xoxe.xox", "[bp]-\\d-[0-9A-Za-z-]{10,250}", 3.0),
      f("slack-token", "xoxe-", "\\d-[0-9A-Za-z]{100,250}", 3.5),
      f("slack-token", "xapp-", "\\d-[A-Z0-9]{9,12}-\\d{10,14}-[a-z0-9]{32,80}", 3.0),
      f("slack-webhook", "hooks.slack.com/", "(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{30,130}", 3.0),
      f("discord-webhook", "discord.com/api/webhooks/", "\\d{17,20}/[A-Za-z0-9_-]{60,70}", 3.0),
      f("discord-webhook", "discordapp.com/api/webhooks/", "\\d{17,20}/[A-Za-z0-9_-]{60,70}", 3.0),
      anywhere("teams-webhook", ".webhook.office.com/webhookb2/",
          "[A-Za-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[A-Za-z0-9@-]{40,90}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36}", 3.0),
      anywhere("telegram-bot-token", ":AA", "\\d{8,10}:AA[0-9A-Za-z_-]{33}", 3.0),
      f("twilio-api-key", "SK", "[0-9a-f]{32}", 3.0),
      f("sendgrid-api-key", "SG.", "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", 3.5),
      f("sendinblue-api-key", "xkeysib-", "[a-f0-9]{64}-[A-Za-z0-9]{16}", 3.0),
      f("mailgun-api-key", "key-", "[0-9a-z]{32}", 3.0),
      anywhere("mailchimp-api-key", "-us", "[0-9a-f]{32}-us\\d{1,2}", 3.0),
      f("stripe-live-key", "sk_live_", "[0-9A-Za-z]{20,247}", 3.0),
      f("stripe-live-key", "rk_live_", "[0-9A-Za-z]{20,247}", 3.0),
      f(STRIPE_TEST_KEY, "sk_test_", "[0-9A-Za-z]{20,247}", 3.0),
      f(STRIPE_TEST_KEY, "rk_test_", "[0-9A-Za-z]{20,247}", 3.0),
      f("stripe-webhook-secret", "whsec_", "[A-Za-z0-9+/=]{32,64}", 3.5),
      f("square-token", "sq0atp-", "[0-9A-Za-z_-]{22}", 3.0),
      f("square-token", "sq0csp-", "[0-9A-Za-z_-]{43}", 3.0),
      f("shopify-token", "shpat_", "[a-fA-F0-9]{32}", 3.0),
      f("shopify-token", "shpca_", "[a-fA-F0-9]{32}", 3.0),
      f("shopify-token", "shppa_", "[a-fA-F0-9]{32}", 3.0),
      f("shopify-token", "shpss_", "[a-fA-F0-9]{32}", 3.0),
      f("flutterwave-secret-key", "FLWSECK", "(?:_TEST)?-[a-h0-9]{32}-X", 3.0),
      f("shippo-token", "shippo_live_", "[a-f0-9]{40}", 3.0),
      f("easypost-api-key", "EZAK", "[A-Za-z0-9]{54}", 3.5),
      f("duffel-token", "duffel_live_", "[A-Za-z0-9_=-]{43}", 3.5),
      f("facebook-access-token", "EAAC", "[A-Za-z0-9]{100,300}", 3.5),
      f("dropbox-token", "sl.", "[A-Za-z0-9_-]{130,152}", 3.5),
      // AI and SaaS APIs
      f("openai-api-key", "sk-proj-", "[A-Za-z0-9_-]{40,300}", 3.5),
      f("openai-api-key", "sk-svcacct-", "[A-Za-z0-9_-]{40,300}", 3.5),
      f("openai-api-key", "sk-admin-", "[A-Za-z0-9_-]{40,300}", 3.5),
      f("openai-api-key", "sk-", "(?:[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})", 3.5),
      f("anthropic-api-key", "sk-ant-", "(?:api|admin)\\d\\d-[A-Za-z0-9_-]{80,120}", 3.5),
      f("groq-api-key", "gsk_", "[A-Za-z0-9]{52}", 3.5),
      f("perplexity-api-key", "pplx-", "[A-Za-z0-9]{48}", 3.5),
      f("xai-api-key", "xai-", "[A-Za-z0-9]{80}", 3.5),
      f("huggingface-token", "hf_", "[A-Za-z]{34}", 3.5),
      f("replicate-token", "r8_", "[A-Za-z0-9]{37}", 3.5),
      f("langsmith-api-key", "lsv2_pt_", "[a-f0-9]{32}_[a-f0-9]{10}", 3.0),
      f("langsmith-api-key", "lsv2_sk_", "[a-f0-9]{32}_[a-f0-9]{10}", 3.0),
      f("linear-api-key", "lin_api_", "[A-Za-z0-9]{40}", 3.5),
      f("notion-token", "ntn_", "[0-9]{11}[A-Za-z0-9]{35}", 3.5),
      f("notion-token", "secret_", "[A-Za-z0-9]{43}", 3.5),
      f("airtable-token", "pat", "[A-Za-z0-9]{14}\\.[a-f0-9]{64}", 3.5),
      f("postman-api-key", "PMAK-", "[a-f0-9]{24}-[a-f0-9]{34}", 3.0),
      f("newrelic-api-key", "NRAK-", "[A-Z0-9]{27}", 3.5),
      f("newrelic-api-key", "NRJS-", "[a-f0-9]{19}", 3.0),
      f("dynatrace-token", "dt0c01.", "[A-Z0-9]{24}\\.[A-Z0-9]{64}", 3.5),
      f("mapbox-secret-token", "sk.eyJ", "[A-Za-z0-9_-]{50,}\\.[A-Za-z0-9_-]{20,}", 3.5),
      f("contentful-token", "CFPAT-", "[A-Za-z0-9_-]{43}", 3.5),
      f("typeform-token", "tfp_", "[A-Za-z0-9_.=-]{59}", 3.5),
      f("frameio-token", "fio-u-", "[A-Za-z0-9_=-]{64}", 3.5),
      f("adafruit-io-key", "aio_", "[a-zA-Z0-9]{28}", 3.5),
      f("tailscale-key", "tskey-", "(?:api-|auth-|client-|scim-|webhook-)?[A-Za-z0-9]{8,20}-[A-Za-z0-9]{16,64}", 3.5),
      f("onepassword-token", "ops_eyJ", "[A-Za-z0-9+/]{250,}={0,3}", 3.5),
      f("grafana-service-account-token", "glsa_", "[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}", 3.5),
      f("grafana-cloud-token", "glc_", "[A-Za-z0-9+/]{32,400}={0,2}", 3.5),
      f("grafana-api-key", "eyJrIjoi", "[A-Za-z0-9+/]{50,400}={0,2}", 3.5),
      // key material
      anywhere("otp-seed", "otpauth://", "otpauth://[th]otp/[^\\s?\"'<>]{0,200}\\?[^\\s\"'<>]{0,300}?secret=[A-Za-z2-7]{16,128}=*",
          3.0),
      f("age-secret-key", "AGE-SECRET-KEY-1", "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", 3.5),
      new Format("nats-nkey-seed", "S", "", Pattern.compile("S[ANOPUXC][A-Z2-7]{56}"), 3.5, 58));

  private static Format aws(String prefix) {
    return f(AWS_ACCESS_KEY_ID, prefix, "[A-Z2-7]{16}", 3.0);
  }

  /** The unique ids of IAM users, roles, groups and policies: not keys, but they name the account's principals. */
  private static Format awsId(String prefix) {
    return f(AWS_UNIQUE_ID, prefix, "[A-Z2-7]{16,17}", 3.0);
  }
}
