package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar … scan} as a user runs it: reports and every exit code of the SPEC. */
class ScanCommandIT {
  @TempDir Path tmp;

  private ScannerProcess.Result scan(Map<String, String> env, String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "scan";
    System.arraycopy(args, 0, all, 1, args.length);
    return ScannerProcess.run(tmp, env, Duration.ofMinutes(3), all);
  }

  @Test
  void withoutAKeyItRunsLocalChecksAndExitsByFindings() throws Exception {
    TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 12, 3);
    var result = scan(Map.of(), repo.root.toString(), "--no-progress");
    assertEquals(1, result.exitCode(), result.stderr());
    assertTrue(result.stderr().contains("model review skipped"), result.stderr());
    assertTrue(result.stdout().contains("src/python/config/settings.py"), result.stdout());
    for (String secret : repo.secrets) assertFalse(result.stdout().contains(secret), "a secret was printed");

    var none = scan(Map.of(), repo.root.toString(), "--fail-on", "none", "--format", "json", "--output", tmp.resolve("r.json").toString());
    assertEquals(0, none.exitCode(), none.stderr());
    JsonObject report = new JsonObject(Files.readString(tmp.resolve("r.json")));
    assertEquals("skipped", report.getJsonObject("scan").getString("modelReview"));
    assertFalse(report.getJsonArray("findings").isEmpty());

    assertEquals(3, scan(Map.of(), repo.root.toString(), "--require-model").exitCode());
  }

  @Test
  void badUsageAndConfigurationExitTwo() throws Exception {
    assertEquals(2, scan(Map.of(), tmp.resolve("does-not-exist").toString()).exitCode());
    assertEquals(2, scan(Map.of(), tmp.toString(), "--fail-on", "sometimes").exitCode());
    var badConfig = scan(Map.of(), tmp.toString(), "--config", tmp.resolve("missing.json").toString());
    assertEquals(2, badConfig.exitCode());
    assertEquals(1, badConfig.stderr().strip().lines().count(), badConfig.stderr());
    var badEnv = scan(Map.of("SCANNER_MAX_RUNNING_SCANS", "lots"), tmp.toString());
    assertEquals(2, badEnv.exitCode());
    assertEquals(2, scan(Map.of(), "http://github.com/a/b.git").exitCode(), "plain http is refused by policy");
  }

  @Test
  void withTheModelItFindsThePlantedIssuesAndWritesSarif() throws Exception {
    Vertx vertx = Vertx.vertx();
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys("sk-test-cli-key-000000000000").latency(10, 0.2).build());
    Http.await(sim.start(), 10);
    try {
      TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 20, 5);
      Path sarif = tmp.resolve("out.sarif");
      var result = scan(Map.of("OPENAI_API_KEY", "sk-test-cli-key-000000000000", "OPENAI_BASE_URL", sim.baseUrl()),
          repo.root.toString(), "--format", "sarif", "--output", sarif.toString(), "--fail-on", "none");
      assertEquals(0, result.exitCode(), result.stderr());
      JsonObject report = new JsonObject(Files.readString(sarif));
      long results = report.getJsonArray("runs").getJsonObject(0).getJsonArray("results").stream()
          .map(JsonObject.class::cast).filter(r -> r.getString("ruleId").startsWith("llm/")).count();
      assertEquals(repo.planted.size(), results);
      var failing = scan(Map.of("OPENAI_API_KEY", "sk-test-cli-key-000000000000", "OPENAI_BASE_URL", sim.baseUrl()),
          repo.root.toString(), "--fail-on", "medium");
      assertEquals(1, failing.exitCode(), failing.stderr());
      assertTrue(failing.stdout().contains(repo.planted.get(0).path() + ":" + repo.planted.get(0).line()), failing.stdout());
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
    }
  }
}
