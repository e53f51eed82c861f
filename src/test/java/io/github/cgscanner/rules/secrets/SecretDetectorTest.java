package io.github.cgscanner.rules.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The detector by context: where names and values are written (the syntaxes of code, config, shell, SQL
 * and prose), which values are not secrets (the false-positive classes seen on real repositories), and
 * how the place of a file lowers the confidence.
 */
class SecretDetectorTest {
  private final SecretDetector detector = new SecretDetector();

  private List<String> values(String path, String text) {
    return detector.find(path, text).stream().map(m -> text.substring(m.start(), m.end())).toList();
  }

  private SecretMatch only(String path, String text) {
    List<SecretMatch> found = detector.find(path, text);
    assertEquals(1, found.size(), path + ": " + found);
    return found.get(0);
  }

  /** {@code path}, a line holding the secret {@code Zq8vT2mK9pWx}, the type it must be found as. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "app/settings.py       | db = connect(host='db', user='app', password='Zq8vT2mK9pWx')           | password",
      "app/Main.java         | ds.setPassword(\"Zq8vT2mK9pWx\");                                     | password",
      "app/Creds.java        | Credential c = new StringCredentialValue(\"Zq8vT2mK9pWx\");          | generic-secret",
      "app/client.rb         | params = { 'password' => 'Zq8vT2mK9pWx' }                            | password",
      "app/config.go         | cfg := Config{Password: \"Zq8vT2mK9pWx\"}                             | password",
      "app/Env.cs            | Environment.SetEnvironmentVariable(\"DB_PASSWORD\", \"Zq8vT2mK9pWx\"); | password",
      "app/conf.php          | $password = \"Zq8vT2mK9pWx\";                                          | password",
      "app/app.kt            | val password: String = \"Zq8vT2mK9pWx\"                                | password",
      "config/app.yaml       | password: Zq8vT2mK9pWx                                                 | password",
      "config/app.json       | { \"password\": \"Zq8vT2mK9pWx\" }                                     | password",
      "config/app.toml       | password = \"Zq8vT2mK9pWx\"                                            | password",
      "config/app.ini        | password=Zq8vT2mK9pWx                                                  | password",
      "src/app.properties    | spring.datasource.password=Zq8vT2mK9pWx                                | password",
      "deploy/.env           | DB_PASSWORD=Zq8vT2mK9pWx                                               | password",
      "conf/app.xml          | <password>Zq8vT2mK9pWx</password>                                      | password",
      "README.md             | Set MYSQL_ROOT_PASSWORD=Zq8vT2mK9pWx before starting.                  | password",
      "db/init.sql           | CREATE USER app IDENTIFIED BY 'Zq8vT2mK9pWx';                          | password",
      "db/roles.sql          | CREATE ROLE app WITH LOGIN PASSWORD 'Zq8vT2mK9pWx';                   | password",
      "ops/backup.sh         | mysqldump -uroot -pZq8vT2mK9pWx shop > shop.sql                        | password",
      "ops/deploy.sh         | sshpass -p 'Zq8vT2mK9pWx' ssh deploy@host                              | password",
      "ops/cert.sh           | openssl rsa -in key.pem -passin pass:Zq8vT2mK9pWx -out plain.pem      | password",
      "ops/admin.sh          | ./admin --password Zq8vT2mK9pWx --user root                            | password",
      "ops/login.sh          | curl -d username=admin -d password=Zq8vT2mK9pWx https://api.acme.io   | password",
      "app/api.py            | requests.get(url, headers={'X-Api-Key': 'Zq8vT2mK9pWx'})              | generic-secret",
      "app/session.js        | module.exports = { secret: 'Zq8vT2mK9pWx' };                          | generic-secret",
      "app/salts.py          | PASSWORD_SALT = 'Zq8vT2mK9pWx'                                        | generic-secret",
      "app/oauth.py          | OAUTH_NONCE = 'Zq8vT2mK9pWx'                                          | generic-secret",
      "app/db.cs             | var cs = \"Server=db;User Id=app;Password=Zq8vT2mK9pWx;\";          | password",
      "app/test_config.py    | assert config.password == \"Zq8vT2mK9pWx\"                            | password"})
  void namedSecretsInEverySyntax(String path, String line, String type) {
    List<SecretMatch> found = detector.find(path, line + "\n");
    assertTrue(found.stream().anyMatch(m -> m.type().equals(type)
        && line.substring(m.start(), m.end()).equals("Zq8vT2mK9pWx")), path + ": " + found);
  }

  /** Lines that name a secret without holding one: each must yield nothing. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "config/app.yaml     | auth_host: auth.acme.internal",
      "config/app.yaml     | authDomain: acme-prod.firebaseapp.com",
      "config/app.yaml     | auth_rate_limit: 100/minute",
      "config/nginx.conf   | auth_request_timeout = 30s",
      "ops/run.sh          | export DB_PASSWORD=$password",
      "ops/run.sh          | mysql -p\"$MYSQL_PASSWORD\" shop",
      "config/app.yaml     | password: ${DB_PASSWORD}",
      "config/app.ini      | password = %(db_password)s",
      "deploy/chart.yaml   | password: {{ .Values.db.password }}",
      "app/models.py       | password_sha2 = 'a3f1c9e07b5d2486f0e91c3a7b6d5e4f'",
      "app/models.py       | token_hash = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'",
      "ops/post.sh         | curl -d password=@/dev/stdin https://api.acme.io/login",
      "app/errors.py       | PASSWORD_ERROR = 'Password must be at least 12 characters'",
      "app/forms.py        | password = forms.CharField(widget=forms.PasswordInput)",
      "app/views.js        | const password = req.body.password;",
      "app/auth.go         | token := r.Header.Get(\"Authorization\")",
      "app/auth.py         | token = os.environ.get('API_TOKEN')",
      "app/cfg.py          | secret_key = get_secret('django/secret_key')",
      "test/fixtures.py    | api_key = 'fake-api-key-for-tests'",
      "test/fixtures.py    | access_token = 'dummy_access_token'",
      "app/ui.ts           | passwordPlaceholder = 'Enter your password'",
      "app/types.ts        | password: string;",
      "app/Const.java      | static final String PASSWORD_FIELD = \"password\";",
      "app/cache.py        | cache_key = 'user:42:profile'",
      "config/app.yaml     | token_url: https://auth.acme.io/oauth/token",
      "config/app.yaml     | password_min_length: 12",
      "app/db.py           | DSN = 'postgresql://%s:%s@%s/%s' % (user, password, host, name)",
      "README.md           | Set the password: see the admin guide.",
      "app/setup.py        | token = 'your-token-here'"})
  void notSecrets(String path, String line) {
    assertEquals(List.of(), values(path, line + "\n"), path + ": " + line);
  }

  @Test
  void confidenceIsLowerInTestsFixturesAndDocs() {
    String line = "DB_PASSWORD = 'Zq8vT2mK9pWx'\n";
    assertEquals(Confidence.MEDIUM, only("app/settings.py", line).confidence());
    assertEquals(Confidence.LOW, only("tests/test_settings.py", line).confidence());
    assertEquals(Confidence.LOW, only("examples/settings.py", line).confidence());
    assertEquals(Confidence.LOW, only("docs/install.md", "DB_PASSWORD=Zq8vT2mK9pWx\n").confidence());
    assertEquals(Confidence.HIGH, only("app/gh.py", "T = 'ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'\n").confidence());
  }

  @Test
  void weakPasswordsAreReportedAtLowConfidence() {
    assertEquals(Confidence.LOW, only("docker-compose.yml", "  POSTGRES_PASSWORD: postgres\n").confidence());
    assertEquals(Confidence.LOW, only("app/db.py", "connect(user='root', password='root')\n").confidence());
  }

  @Test
  void httpAuthorizationSchemes() {
    SecretMatch basic = only("ops/call.sh", "curl -H 'Authorization: Basic dXNlcjpzM2NyM3RQYXNz' https://api.acme.io\n");
    assertEquals(AuthSchemes.BASIC, basic.type());
    assertEquals(Confidence.MEDIUM, basic.confidence());
    assertEquals(AuthSchemes.BEARER, only("spec/cassette.yml",
        "    - Bearer 7b266a228263ec2bbe821b6de916437bcaaf251a6b282ed6b8026670f85aec12\n").type());
    assertEquals(List.of("Zm9vOnM3Y3JldA=="), values("app/es.js", "headers: { authorization: 'ApiKey Zm9vOnM3Y3JldA==' }\n"));
    assertEquals(List.of(), values("app/auth.js", "headers['Authorization'] = 'Bearer ' + token;\n"));
  }

  @Test
  void uuidsAloneAreLowAndNamedOnesAreSecrets() {
    String uuid = "3f2b8c1e-9a4d-4e6f-b1c2-7d8e9f0a1b2c";
    SecretMatch bare = only("postman/collection.json", "\"id\": \"" + uuid + "\",\n");
    assertEquals(Tokens.UUID, bare.type());
    assertEquals(Confidence.LOW, bare.confidence());
    SecretMatch named = only("config/heroku.yaml", "heroku_api_key: " + uuid + "\n");
    assertEquals(NamedValues.GENERIC, named.type());
    assertEquals(List.of(), values("app/ids.py", "NIL = '00000000-0000-0000-0000-000000000000'\n"));
    assertEquals(List.of(), values("tf/state.json", "\"target_key_id\": \"" + uuid + "\",\n"));
  }

  @Test
  void privateKeysWholeInlineEncodedAndCutShort() {
    String body = "MIIEowIBAAKCAQEAt2fE5HQJo/4bF3j7ROg2zDHMtHKwJcTFYbFY0jHXfSUbSKVN\n"
        + "o5+53jMW1jrpm0kHqWx1xoH2gXGUK7MZU9IyOTxNQdMf8Yyz4E+7x0L0Ud9jB3dA\n";
    String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n";
    assertEquals(PrivateKeys.TYPE, only("certs/key.pem", pem).type());
    String json = "{\"private_key\": \"" + pem.replace("\n", "\\n") + "\"}\n";
    assertEquals(PrivateKeys.TYPE, only("sa.json", json).type());
    String encoded = java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(PrivateKeys.TYPE, only("k8s/secret.yaml", "  tls.key: " + encoded + "\n").type());
    assertEquals(List.of(), values("docs/keys.md", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n"));
  }

  @Test
  void urlCredentialsAndDocumentationForms() {
    assertEquals(List.of("Zq8vT2mK9pWx"), values("config/db.yaml", "url: postgres://app:Zq8vT2mK9pWx@db.internal:5432/shop\n"));
    assertEquals(List.of(), values("README.md", "Connect with postgres://user:password@localhost/db\n"));
    assertEquals(List.of(), values("README.md", "Connect with postgres://USER:PASS@HOST/db\n"));
    assertEquals(List.of(), values("config/db.yaml", "url: postgres://app:Zq8vT2mK9pWx@db.example.com/shop\n"));
  }

  @Test
  void byteListsNamedAsSecrets() {
    String line = "authData := []byte{6, 81, 96, 114, 14, 42, 50, 30, 76, 47, 1, 95, 126, 81}\n";
    assertEquals(1, detector.find("mysql/auth_test.go", line).size());
  }

  @Test
  void stringListsOfTokens() {
    assertEquals(List.of("a1f3fab6393d3a6a", "91a139ce322eed65"),
        values("spec/vehicle.yml", "string: '{\"tokens\":[\"a1f3fab6393d3a6a\",\"91a139ce322eed65\"],\"state\":\"online\"}'\n"));
  }

  @Test
  void linesAndOffsetsAreTrue() {
    String text = "a = 1\nb = 2\npassword = 'Zq8vT2mK9pWx'\n";
    SecretMatch m = only("app/x.py", text);
    assertEquals(3, m.line());
    assertEquals(3, m.endLine());
    assertEquals("Zq8vT2mK9pWx", text.substring(m.start(), m.end()));
  }
}
