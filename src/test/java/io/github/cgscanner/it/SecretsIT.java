package io.github.cgscanner.it;

import static io.github.cgscanner.it.ApiAssert.accepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar against the simulator, on a repository holding the kinds of secrets the detector used to
 * miss (short passwords in keyword arguments and call arguments, SQL and command-line passwords, HTTP Basic
 * credentials, Grafana, Mailgun and NATS tokens, a UUID-shaped client secret, an OTP seed, a Stripe test key)
 * in files selected for review, plus a token in a vendored file and a password in a gitignored file, which
 * are not selected. Every one is reported at its path and line; none reaches the model; the vendored and
 * the gitignored file are not sent at all.
 */
class SecretsIT {
  static final String KEY = "sk-test-secrets-key-0000000000000";

  private record Planted(String path, int line, String type, String secret) {}

  @TempDir Path tmp;
  private final Random random = new Random(1717);
  private final List<Planted> planted = new ArrayList<>();

  private String of(String alphabet, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return b.toString();
  }

  private String alnum(int n) {
    return "Q7" + of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n - 2);
  }

  private void write(Path root, String path, String... lines) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  /** Plants {@code secret} at {@code line} of {@code path} (the line must hold it). */
  private void plant(String path, int line, String type, String secret) {
    planted.add(new Planted(path, line, type, secret));
  }

  private Path repository() throws IOException {
    Path root = tmp.resolve("repo");
    String dbPassword = "Kq7!zP";
    String credential = alnum(10);
    write(root, "src/app/db.py",
        "import pymysql",
        "",
        "def connect():",
        "    return pymysql.connect(host='db.internal', user='app', password='" + dbPassword + "')");
    plant("src/app/db.py", 4, "password", dbPassword);
    write(root, "src/main/java/acme/Vault.java",
        "package acme;",
        "",
        "class Vault {",
        "  Credential credential() {",
        "    return new StringCredentialValue(\"" + credential + "\");",
        "  }",
        "}");
    plant("src/main/java/acme/Vault.java", 5, "generic-secret", credential);
    String dumpPassword = alnum(9);
    String sshPassword = alnum(8);
    String keyPassword = alnum(8);
    write(root, "scripts/backup.sh",
        "#!/bin/sh",
        "mysqldump -uroot -p" + dumpPassword + " shop > /backup/shop.sql",
        "sshpass -p '" + sshPassword + "' scp /backup/shop.sql deploy@backup.internal:/srv",
        "openssl rsa -in key.pem -passin pass:" + keyPassword + " -out plain.pem");
    plant("scripts/backup.sh", 2, "password", dumpPassword);
    plant("scripts/backup.sh", 3, "password", sshPassword);
    plant("scripts/backup.sh", 4, "password", keyPassword);
    String sqlPassword = alnum(9);
    write(root, "db/init.sql", "CREATE DATABASE shop;", "CREATE USER app IDENTIFIED BY '" + sqlPassword + "';");
    plant("db/init.sql", 2, "password", sqlPassword);
    String basic = Base64.getEncoder().encodeToString(("svc:" + alnum(12)).getBytes(StandardCharsets.US_ASCII));
    write(root, "web/src/api.js",
        "export async function ping() {",
        "  return fetch('/api/ping', { headers: { 'X-Client': 'web', Auth: 'Basic " + basic + "' } });",
        "}");
    plant("web/src/api.js", 2, "basic-auth", basic);
    String grafana = "glsa_" + alnum(32) + "_" + of("0123456789abcdef", 8);
    String mailgun = "key-" + of("0123456789abcdefghijklmnopqrstuvwxyz", 31) + "7";
    String nats = "SU" + of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 56);
    write(root, "services/notify/config.go",
        "package notify",
        "",
        "const grafanaToken = \"" + grafana + "\"",
        "const mailgunKey = \"" + mailgun + "\"",
        "const natsSeed = \"" + nats + "\"");
    plant("services/notify/config.go", 3, "grafana-service-account-token", grafana);
    plant("services/notify/config.go", 4, "mailgun-api-key", mailgun);
    plant("services/notify/config.go", 5, "nats-nkey-seed", nats);
    String uuidSecret = "7c1e4b2a-9f3d-4e8b-a6c5-2d1f0e9b8a7c";
    String otp = "otpauth://totp/Acme:ops@acme.io?secret=" + of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32) + "&issuer=Acme";
    String stripeTest = "sk_test_" + alnum(24);
    write(root, "src/app/settings.py",
        "DEBUG = False",
        "OAUTH_CLIENT_SECRET = '" + uuidSecret + "'",
        "OPS_OTP_URI = '" + otp + "'",
        "STRIPE_KEY = '" + stripeTest + "'");
    plant("src/app/settings.py", 2, "generic-secret", uuidSecret);
    plant("src/app/settings.py", 3, "otp-seed", otp);
    plant("src/app/settings.py", 4, "stripe-test-key", stripeTest);
    String vendored = "ghp_" + alnum(36);
    write(root, "vendor/github.com/acme/sdk/creds.go",
        "package sdk // VENDORED_FILE_MARKER",
        "",
        "const defaultToken = \"" + vendored + "\"");
    plant("vendor/github.com/acme/sdk/creds.go", 3, "github-token", vendored);
    String ignored = alnum(14);
    write(root, ".gitignore", "local.env");
    write(root, "local.env", "# IGNORED_FILE_MARKER", "DB_PASSWORD=" + ignored);
    plant("local.env", 2, "password", ignored);
    return root;
  }

  @Test
  void everySecretIsReportedAndNoneReachesTheModel() throws Exception {
    Vertx vertx = Vertx.vertx();
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).latency(20, 0.2).seed(3).build());
    Http.await(sim.start(), 10);
    Path zip = TestRepo.zip(repository(), tmp.resolve("repo.zip"));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, EndToEndIT.keyEnv(sim.baseUrl(), KEY), "--no-cluster");
         Http http = new Http(scanner.baseUrl(), null)) {
      String id = accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      assertEquals(200, http.events(id, null, 120).status());
      JsonObject scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertEquals("done", scan.getString("modelReview"), scan.encodePrettily());
      JsonObject progress = scan.getJsonObject("progress");
      assertTrue(progress.getInteger("filesSecretsChecked") >= 3, "the vendored, ignored and other files: " + progress);

      List<JsonObject> findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings")
          .stream().map(JsonObject.class::cast).filter(f -> f.getString("source").equals("secrets")).toList();
      for (Planted p : planted) {
        assertTrue(findings.stream().anyMatch(f -> f.getString("path").equals(p.path()) && f.getInteger("startLine") == p.line()
            && f.getString("ruleId").equals("secrets/" + p.type())), "reported: " + p.type() + " at " + p.path() + ":" + p.line());
      }
      JsonObject stripe = findings.stream().filter(f -> f.getString("ruleId").equals("secrets/stripe-test-key")).findFirst().orElseThrow();
      assertEquals("low", stripe.getString("severity"), "a Stripe test key is reported at low severity");
      for (JsonObject f : findings) {
        assertTrue(List.of("high", "medium", "low").contains(f.getString("confidence")), f.encode());
        for (Planted p : planted) assertFalse(f.encode().contains(p.secret()), "a finding carries " + p.type() + " in clear");
      }

      List<String> prompts = sim.prompts();
      assertFalse(prompts.isEmpty(), "the selected files were reviewed");
      for (String prompt : prompts) {
        for (Planted p : planted) assertFalse(prompt.contains(p.secret()), p.type() + " from " + p.path() + " reached the model");
        assertFalse(prompt.contains("VENDORED_FILE_MARKER") || prompt.contains("vendor/github.com/acme"), "the vendored file was sent");
        assertFalse(prompt.contains("IGNORED_FILE_MARKER") || prompt.contains("local.env"), "the gitignored file was sent");
      }
      assertTrue(prompts.stream().anyMatch(p -> p.contains("scripts/backup.sh") && p.contains("[REDACTED:password]")),
          "a selected file reached the model, masked");
      String log = scanner.log();
      for (Planted p : planted) assertFalse(log.contains(p.secret()), p.type() + " reached the log");
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
    }
  }
}
