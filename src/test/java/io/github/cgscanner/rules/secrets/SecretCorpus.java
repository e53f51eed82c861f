package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Contexts.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The labelled set for the secret detector, generated (not scraped): per secret type positives in
 * realistic files, per type family near-miss negatives, and shared look-alikes (UUIDs, hashes, blobs).
 */
public final class SecretCorpus {
  static final int POSITIVES_PER_TYPE = 60;
  static final int NEGATIVES_PER_FAMILY = 48;
  static final String LOOKALIKES = "look-alikes";

  /** {@code expectedType} null for a negative; {@code secretParts} must all vanish from the masked text. */
  public record Sample(String expectedType, String family, String path, String text, List<String> secretParts) {}

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

  static final List<String> TYPES = List.of(
      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN,
      GITHUB_FINE_GRAINED_PAT, SLACK_TOKEN, STRIPE_LIVE_KEY, GOOGLE_API_KEY,
      OPENAI_API_KEY, PRIVATE_KEY, JWT, URL_CREDENTIALS,
      GENERIC_SECRET);

  private final SampleValues v = new SampleValues(0x5EC12E7L);
  private final List<Sample> samples = new ArrayList<>();

  public static List<Sample> generate() {
    SecretCorpus c = new SecretCorpus();
    for (String type : TYPES) {
      for (int i = 0; i < POSITIVES_PER_TYPE; i++) c.positive(type, i);
      List<Supplier<Contexts.File>> negatives = c.negatives(type);
      for (int i = 0; i < NEGATIVES_PER_FAMILY; i++) c.negative(type, negatives.get(i % negatives.size()).get());
    }
    List<Supplier<Contexts.File>> lookalikes = c.lookalikes();
    for (int i = 0; i < 2 * NEGATIVES_PER_FAMILY; i++) c.negative(LOOKALIKES, lookalikes.get(i % lookalikes.size()).get());
    return List.copyOf(c.samples);
  }

  private Kind kind(int i) {
    return Kind.values()[i % Kind.values().length];
  }

  private void positive(String type, int i) {
    String module = v.word();
    int variant = i / Kind.values().length;
    switch (type) {
      case PRIVATE_KEY -> {
        List<String> body = v.pemBody();
        Contexts.File f = Contexts.pem(i, v.pemLabel(), body, module);
        samples.add(new Sample(type, type, f.path(), f.text(), body));
      }
      case URL_CREDENTIALS -> {
        String password = v.mixed(SampleValues.ALNUM + "_~.-!", v.between(10, 24));
        String url = v.pick(List.of("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp"))
            + "://" + v.pick(List.of("app", "svc_" + module, "deploy", "admin", module)) + ":" + password + "@"
            + v.pick(List.of("db", "mq", "cache", "files")) + "." + module + ".internal:" + v.between(1000, 9999) + "/" + module;
        add(type, kind(i), v.pick(List.of(List.of("database", "url"), List.of("broker", "uri"), List.of("connection", "string"),
            List.of("dsn"))), url, password, module, variant);
      }
      case GENERIC_SECRET -> {
        String value = v.genericSecret();
        if (i % 6 == 5) {
          Contexts.File f = Contexts.connectionString(value, module);
          samples.add(new Sample(type, type, f.path(), f.text(), List.of(value)));
        } else {
          add(type, kind(i), v.pick(GENERIC_NAMES), value, value, module, variant);
        }
      }
      default -> {
        String value = providerValue(type);
        add(type, kind(i), v.pick(providerNames(type)), value, value, module, variant);
      }
    }
  }

  private void add(String type, Kind kind, List<String> name, String value, String secret, String module, int variant) {
    Contexts.File f = Contexts.embed(kind, name, value, module, variant);
    samples.add(new Sample(type, type, f.path(), f.text(), List.of(secret)));
  }

  private void negative(String family, Contexts.File f) {
    samples.add(new Sample(null, family, f.path(), f.text(), List.of()));
  }

  private static final List<List<String>> GENERIC_NAMES = List.of(
      List.of("password"), List.of("db", "password"), List.of("client", "secret"), List.of("api", "key"),
      List.of("auth", "token"), List.of("access", "token"), List.of("secret", "key"), List.of("jwt", "secret"),
      List.of("smtp", "password"), List.of("webhook", "secret"), List.of("encryption", "key"), List.of("refresh", "token"),
      List.of("app", "secret"), List.of("signing", "key"), List.of("passwd"), List.of("redis", "password"),
      List.of("admin", "password"), List.of("api", "secret"), List.of("session", "secret"), List.of("apikey"));

  private String providerValue(String type) {
    return switch (type) {
      case AWS_ACCESS_KEY_ID -> v.awsKeyId();
      case AWS_SECRET_ACCESS_KEY -> v.awsSecret();
      case GITHUB_TOKEN -> v.githubToken();
      case GITHUB_FINE_GRAINED_PAT -> v.githubFineGrained();
      case SLACK_TOKEN -> v.slackToken();
      case STRIPE_LIVE_KEY -> v.stripeLive();
      case GOOGLE_API_KEY -> v.googleApiKey();
      case OPENAI_API_KEY -> v.openAiKey();
      case JWT -> v.jwt();
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static List<List<String>> providerNames(String type) {
    return switch (type) {
      case AWS_ACCESS_KEY_ID -> List.of(List.of("aws", "access", "key", "id"), List.of("access", "key", "id"));
      case AWS_SECRET_ACCESS_KEY -> List.of(List.of("aws", "secret", "access", "key"),
          List.of("secret", "access", "key"), List.of("aws", "secret", "key"));
      case GITHUB_TOKEN, GITHUB_FINE_GRAINED_PAT -> List.of(List.of("github", "token"),
          List.of("gh", "token"), List.of("release", "bot", "credential"));
      case SLACK_TOKEN -> List.of(List.of("slack", "bot", "token"), List.of("slack", "token"), List.of("notifier"));
      case STRIPE_LIVE_KEY -> List.of(List.of("stripe", "api", "key"), List.of("stripe", "secret"), List.of("payments"));
      case GOOGLE_API_KEY -> List.of(List.of("google", "maps", "api", "key"), List.of("firebase", "key"),
          List.of("gcp", "api", "key"));
      case OPENAI_API_KEY -> List.of(List.of("openai", "api", "key"), List.of("llm", "key"), List.of("openai", "token"));
      case JWT -> List.of(List.of("session", "jwt"), List.of("bearer"), List.of("id", "token"), List.of("service", "token"));
      default -> throw new IllegalArgumentException(type);
    };
  }

  private Supplier<Contexts.File> at(List<String> name, Supplier<String> value) {
    return () -> Contexts.embed(Contexts.Kind.values()[v.between(0, Contexts.Kind.values().length - 1)], name, value.get(), v.word(), v.between(0, 5));
  }

  private static Supplier<Contexts.File> file(String path, String text) {
    return () -> new Contexts.File(path, text);
  }

  private List<Supplier<Contexts.File>> negatives(String type) {
    return switch (type) {
      case AWS_ACCESS_KEY_ID -> List.of(
          at(List.of("aws", "access", "key", "id"), () -> "AKIAIOSFODNN7EXAMPLE"),
          at(List.of("aws", "access", "key", "id"), () -> "AKIAXXXXXXXXXXXXXXXX"),
          at(List.of("aws", "access", "key", "id"), () -> "AKIA" + v.of(SampleValues.BASE32, 12)),
          at(List.of("aws", "access", "key", "id"), () -> "${AWS_ACCESS_KEY_ID}"),
          at(List.of("aws", "access", "key", "id"), () -> "<your-access-key-id>"),
          at(List.of("iam", "user", "id"), () -> "AIDA" + v.of(SampleValues.BASE32, 17)),
          at(List.of("aws", "account", "alias"), () -> "AKIA" + v.of(SampleValues.BASE32, 20)),
          file("app/aws.py", "import os\nimport boto3\n\nsession = boto3.Session(\n    aws_access_key_id=os.environ[\"AWS_ACCESS_KEY_ID\"],\n)\n"),
          file("src/main/java/Aws.java", "class Aws {\n  String id = System.getenv(\"AWS_ACCESS_KEY_ID\");\n}\n"));
      case AWS_SECRET_ACCESS_KEY -> List.of(
          at(List.of("aws", "secret", "access", "key"), () -> "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
          at(List.of("aws", "secret", "access", "key"), () -> "${AWS_SECRET_ACCESS_KEY}"),
          at(List.of("aws", "secret", "access", "key"), () -> "<your-secret-access-key>"),
          at(List.of("aws", "secret", "access", "key"), () -> "x".repeat(40)),
          at(List.of("aws", "secret", "access", "key"), () -> "changeme"),
          at(List.of("content", "checksum"), () -> v.mixed(SampleValues.BASE64, 40)),
          at(List.of("build", "digest"), () -> v.of(SampleValues.HEX, 40)),
          file("infra/env.sh", "export AWS_SECRET_ACCESS_KEY=\"$(vault read -field=secret aws/creds/deploy)\"\n"),
          file("app/s3.js", "const s3 = new S3({ secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY });\n"));
      case GITHUB_TOKEN -> List.of(
          at(List.of("github", "token"), () -> "ghp_" + "x".repeat(36)),
          at(List.of("github", "token"), () -> "ghp_your_personal_access_token"),
          at(List.of("github", "token"), () -> "ghp_" + v.of(SampleValues.ALNUM, 20)),
          at(List.of("github", "token"), () -> "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
          at(List.of("github", "token"), () -> "${{ secrets.GITHUB_TOKEN }}"),
          at(List.of("branch"), () -> "ghp_" + v.word()),
          file(".github/workflows/ci.yml", "jobs:\n  build:\n    env:\n      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"),
          file("scripts/release.js", "const token = process.env.GITHUB_TOKEN;\n"));
      case GITHUB_FINE_GRAINED_PAT -> List.of(
          at(List.of("github", "token"), () -> "github_pat_" + "X".repeat(82)),
          at(List.of("github", "token"), () -> "github_pat_your_token_here"),
          at(List.of("github", "token"), () -> "github_pat_" + v.of(SampleValues.ALNUM, 22)),
          at(List.of("github", "token"), () -> "github_pat_11ABCDEFG0123456789_..."),
          file("docs/setup.py", "# create a token that starts with github_pat_ and export it\nTOKEN = os.environ[\"GH_TOKEN\"]\n"));
      case SLACK_TOKEN -> List.of(
          at(List.of("slack", "bot", "token"), () -> "xoxb-your-bot-token"),
          at(List.of("slack", "bot", "token"), () -> "xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx"),
          at(List.of("slack", "bot", "token"), () -> "xoxb-" + v.of(SampleValues.DIGITS, 4)),
          at(List.of("slack", "bot", "token"), () -> "${SLACK_BOT_TOKEN}"),
          at(List.of("slack", "channel"), () -> "#" + v.word()),
          at(List.of("slack", "webhook", "path"), () -> "/services/" + v.word()),
          file("bot/notify.py", "import os\nclient = WebClient(token=os.environ[\"SLACK_BOT_TOKEN\"])\n"));
      case STRIPE_LIVE_KEY -> List.of(
          at(List.of("stripe", "api", "key"), () -> "sk_test_" + v.mixed(SampleValues.ALNUM, 24)),
          at(List.of("stripe", "publishable", "key"), () -> "pk_live_" + v.mixed(SampleValues.ALNUM, 24)),
          at(List.of("stripe", "api", "key"), () -> "sk_live_" + "x".repeat(24)),
          at(List.of("stripe", "api", "key"), () -> "sk_live_your_key_here"),
          at(List.of("stripe", "api", "key"), () -> "rk_test_" + v.mixed(SampleValues.ALNUM, 24)),
          at(List.of("stripe", "api", "key"), () -> "sk_live_" + v.of(SampleValues.ALNUM, 8)),
          file("pay/stripe.rb", "Stripe.api_key = ENV['STRIPE_SECRET_KEY']\n"));
      case GOOGLE_API_KEY -> List.of(
          at(List.of("google", "api", "key"), () -> "AIza" + "X".repeat(35)),
          at(List.of("google", "api", "key"), () -> "AIzaSy-your-api-key"),
          at(List.of("google", "api", "key"), () -> "AIza" + v.mixed(SampleValues.BASE64URL, 25)),
          at(List.of("google", "api", "key"), () -> "YOUR_GOOGLE_API_KEY"),
          at(List.of("google", "api", "key"), () -> "AIzaSyEXAMPLE" + v.of(SampleValues.UPPER, 26)),
          file("web/maps.js", "const key = import.meta.env.VITE_GOOGLE_MAPS_KEY;\n"));
      case OPENAI_API_KEY -> List.of(
          at(List.of("openai", "api", "key"), () -> "sk-" + "x".repeat(48)),
          at(List.of("openai", "api", "key"), () -> "sk-your-openai-key"),
          at(List.of("openai", "api", "key"), () -> "sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
          at(List.of("openai", "api", "key"), () -> "sk-" + v.of(SampleValues.ALNUM, 16)),
          at(List.of("css", "class"), () -> "sk-loading-" + v.word()),
          at(List.of("task", "ref"), () -> "task-" + v.mixed(SampleValues.ALNUM, 48)),
          file("ai/client.py", "import os\nfrom openai import OpenAI\nclient = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"));
      case PRIVATE_KEY -> List.of(
          () -> new Contexts.File("certs/server.pub", "-----BEGIN PUBLIC KEY-----\n" + String.join("\n", v.pemBody())
              + "\n-----END PUBLIC KEY-----\n"),
          () -> new Contexts.File("certs/server.crt", "-----BEGIN CERTIFICATE-----\n" + String.join("\n", v.pemBody())
              + "\n-----END CERTIFICATE-----\n"),
          file("docs/keys.yaml", "tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    ...\n    -----END RSA PRIVATE KEY-----\n"),
          file("src/main/java/Pem.java", "class Pem {\n  boolean isKey(String l) {\n    return l.startsWith(\"-----BEGIN PRIVATE KEY-----\");\n  }\n}\n"),
          file("README.txt", "Paste your key between -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines.\n"),
          () -> new Contexts.File("keys/id_rsa.pub", "ssh-rsa " + v.mixed(SampleValues.BASE64, 372) + " deploy@" + v.word() + "\n"),
          file("conf/key.env", "PRIVATE_KEY=\"-----BEGIN PRIVATE KEY-----\\n<your key>\\n-----END PRIVATE KEY-----\"\n"));
      case JWT -> List.of(
          at(List.of("id", "token"), () -> "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
          at(List.of("id", "token"), () -> "eyJhbGciOi..."),
          at(List.of("id", "token"), () -> SampleValues.b64url("{\"alg\":\"none\"}") + "." + SampleValues.b64url("{\"sub\":\"" + v.between(1, 999) + "\"}") + "."),
          at(List.of("state", "blob"), () -> SampleValues.b64url("{\"page\":" + v.between(1, 99) + ",\"filter\":\"" + v.word() + "\"}") + "."
              + SampleValues.b64url("{\"sort\":\"" + v.word() + "\",\"size\":" + v.between(1, 999) + "}") + "." + v.mixed(SampleValues.BASE64URL, 43)),
          at(List.of("cursor"), () -> SampleValues.b64url("{\"after\":\"" + v.uuid() + "\"}")),
          file("api/auth.js", "const token = req.headers.authorization?.replace('Bearer ', '');\n"));
      case URL_CREDENTIALS -> List.of(
          at(List.of("database", "url"), () -> "postgres://user:password@localhost:5432/app"),
          at(List.of("database", "url"), () -> "postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app"),
          at(List.of("database", "url"), () -> "https://user:<password>@" + v.word() + ".acme.io"),
          at(List.of("database", "url"), () -> "mysql://root:root@localhost/" + v.word()),
          at(List.of("broker", "url"), () -> "amqp://guest:guest@localhost:5672/"),
          at(List.of("repo", "url"), () -> "https://username:****@git.acme.io/" + v.word() + ".git"),
          at(List.of("mirror", "url"), () -> "https://" + v.word() + "@git.acme.io/" + v.word() + ".git"),
          at(List.of("service", "url"), () -> "http://localhost:" + v.between(1000, 9999) + "/" + v.word()),
          at(List.of("dsn"), () -> "mongodb://admin:changeme@mongo:27017"),
          file("src/db.py", "DSN = \"postgresql://%s:%s@%s/%s\" % (user, password, host, name)\n"),
          file("src/Url.java", "class Url { static final String RE = \"(\\\\w+)://(\\\\w+):(\\\\w+)@(.+)\"; }\n"));
      case GENERIC_SECRET -> List.of(
          at(List.of("password"), () -> "changeme"),
          at(List.of("db", "password"), () -> "${DB_PASSWORD}"),
          at(List.of("api", "key"), () -> "{{ .SampleValues.apiKey }}"),
          at(List.of("api", "key"), () -> "<your-api-key>"),
          at(List.of("api", "key"), () -> "your_api_key_here"),
          at(List.of("client", "secret"), () -> "****************"),
          at(List.of("password"), () -> "password"),
          at(List.of("auth", "token"), () -> "test-token-" + v.between(100, 999)),
          at(List.of("api", "key"), () -> "dummy_api_key"),
          at(List.of("token", "url"), () -> "https://auth.acme.io/oauth/token"),
          at(List.of("password", "min", "length"), () -> "12"),
          at(List.of("secret", "name"), () -> "prod/" + v.word() + "/credentials"),
          at(List.of("password", "field"), () -> "user_password"),
          at(List.of("api", "key", "header"), () -> "X-Api-Key"),
          at(List.of("tokenizer"), () -> "bert-base-uncased"),
          at(List.of("password", "hash"), () -> "$2a$10$" + v.mixed(SampleValues.BASE64, 53).replace('+', '.')),
          at(List.of("auth", "mode"), () -> "bearer"),
          at(List.of("secret"), () -> "xxxxxxxxxxxxxxxx"),
          at(List.of("access", "token", "ttl"), () -> "3600"),
          at(List.of("session", "id"), () -> v.uuid()),
          file("app/db.py", "import os\npassword = os.environ.get(\"DB_PASSWORD\")\nclient_secret = os.getenv(\"CLIENT_SECRET\")\n"),
          file("src/main/java/Db.java", "class Db {\n  String password = System.getenv(\"DB_PASSWORD\");\n  String token = tokens.next();\n}\n"),
          file("web/login.js", "const password = document.getElementById('password').value;\nconst apiKey = process.env.API_KEY;\n"),
          file("app/cli.py", "password = input(\"Password: \")\nsecret = getpass.getpass()\n"),
          file("config/app.yaml", "auth:\n  enabled: true\n  password: ${APP_PASSWORD}\n  token_type: Bearer\n"),
          file("services/api/.env", "API_KEY=\nSECRET_KEY=${SECRET_KEY}\nPASSWORD=changeme\n"));
      default -> throw new IllegalArgumentException(type);
    };
  }

  private List<Supplier<Contexts.File>> lookalikes() {
    return List.of(
        at(List.of("request", "id"), v::uuid),
        at(List.of("tenant", "id"), v::uuid),
        at(List.of("checksum"), () -> v.of(SampleValues.HEX, 32)),
        at(List.of("sha1"), () -> v.of(SampleValues.HEX, 40)),
        at(List.of("sha256"), () -> v.of(SampleValues.HEX, 64)),
        at(List.of("commit"), () -> v.of(SampleValues.HEX, 40)),
        at(List.of("image", "digest"), () -> "sha256:" + v.of(SampleValues.HEX, 64)),
        at(List.of("integrity"), () -> "sha512-" + v.mixed(SampleValues.BASE64, 86) + "=="),
        at(List.of("payload"), () -> v.mixed(SampleValues.BASE64, 200) + "="),
        at(List.of("logo"), () -> "data:image/png;base64," + v.mixed(SampleValues.BASE64, 120)),
        at(List.of("trace", "id"), () -> v.of(SampleValues.HEX, 32)),
        at(List.of("build", "id"), () -> v.mixed(SampleValues.ALNUM, 24)),
        at(List.of("etag"), () -> v.of(SampleValues.HEX, 40)),
        at(List.of("bundle"), () -> "main." + v.of(SampleValues.HEX, 8) + ".js"),
        at(List.of("cache", "key"), () -> v.mixed(SampleValues.BASE64URL, 32)),
        () -> new Contexts.File("package-lock.json", "{\n  \"node_modules/left-pad\": {\n    \"version\": \"1.3.0\",\n"
            + "    \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\",\n    \"integrity\": \"sha512-"
            + v.mixed(SampleValues.BASE64, 86) + "==\"\n  }\n}\n"),
        () -> new Contexts.File("go.sum", "github.com/acme/" + v.word() + " v1.2.3 h1:" + v.mixed(SampleValues.BASE64, 43) + "=\n"),
        () -> new Contexts.File("src/main/java/Ids.java", "class Ids {\n  static final String NAMESPACE = \"" + v.uuid()
            + "\";\n  static final String VERSION_SHA = \"" + v.of(SampleValues.HEX, 40) + "\";\n}\n"));
  }
}
