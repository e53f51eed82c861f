package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification pass through the real jar and the simulator, {@code review.verify: all}: decoys
 * (code made safe earlier in its file, which the review reports) come back rejected and stay out of
 * SARIF and of {@code --fail-on}; real findings come back confirmed; and when every verification
 * request fails, the findings stay reported as uncertain and the scan says the pass was partial.
 */
class VerificationIT {
  private static final String KEY = "sk-test-verify-it-0000000000000";

  @TempDir static Path tmp;
  static Vertx vertx;
  static DecoyRepo repo;
  static Path decoysOnly;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    repo = DecoyRepo.generate(8, 4, 60, 18);
    decoysOnly = Files.createDirectories(tmp.resolve("decoys"));
    for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.DECOY)) {
      Path file = decoysOnly.resolve(p.path());
      Files.createDirectories(file.getParent());
      Files.writeString(file, repo.files.get(p.path()));
    }
    Files.writeString(tmp.resolve("small-chunks.json"), new JsonObject()
        .put("model", new JsonObject().put("maxChunkTokens", 700)).put("scan", new JsonObject().put("maxAttempts", 2)).encode());
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(vertx.close(), 10);
  }

  private static ModelSimulator simulator(SimulatorOptions.Builder b) throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, b.keys(KEY).latency(20, 0.2).build());
    Http.await(sim.start(), 10);
    return sim;
  }

  private static Map<String, String> env(ModelSimulator sim, String verify) {
    return ScannerProcess.env("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", sim.baseUrl(), "SCANNER_REVIEW_VERIFY", verify);
  }

  private static JsonObject at(JsonArray findings, DecoyRepo.Planted p, String source) {
    return findings.stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("path").equals(p.path()) && f.getInteger("startLine") == p.line() && f.getString("source").equals(source))
        .findFirst().orElse(null);
  }

  /** Path:line of every SARIF result. */
  private static Set<String> resultLines(JsonObject sarif) {
    return sarif.getJsonArray("runs").getJsonObject(0).getJsonArray("results").stream().map(JsonObject.class::cast)
        .map(r -> r.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation"))
        .map(l -> l.getJsonObject("artifactLocation").getString("uri") + ":" + l.getJsonObject("region").getInteger("startLine"))
        .collect(Collectors.toSet());
  }

  @Test
  void decoysAreRejectedAndLeftOutOfSarifRealFindingsAreConfirmedAndEachIsStreamedOnce() throws Exception {
    ModelSimulator sim = simulator(SimulatorOptions.builder());
    Path zip = repo.zip(tmp.resolve("repo.zip"));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env(sim, "all"), "--no-cluster", "--config",
        tmp.resolve("small-chunks.json").toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      String id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      Http.SseResult sse = http.events(id, null, 180);
      SseEvent done = sse.events().get(sse.events().size() - 1);
      assertEquals("done", done.event());
      JsonObject scan = new JsonObject(done.data());
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());

      JsonArray findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      List<String> streamed = sse.events().stream().filter(e -> e.event().equals("finding")).map(e -> new JsonObject(e.data()).getString("id")).toList();
      assertEquals(streamed.size(), new HashSet<>(streamed).size(), "each finding is streamed exactly once");
      assertEquals(findings.stream().map(f -> ((JsonObject) f).getString("id")).collect(Collectors.toSet()), new HashSet<>(streamed));
      for (SseEvent e : sse.events()) {
        JsonObject f = e.event().equals("finding") ? new JsonObject(e.data()) : null;
        if (f != null && f.getString("source").equals("llm")) assertNotNull(f.getJsonObject("verification"), "streamed in its final form: " + f);
      }

      JsonObject sarif = http.get("/api/v1/scans/" + id + "/report.sarif").bodyAsJsonObject();
      assertEquals(List.of(), io.github.cgscanner.report.SarifSchema.validate(sarif));
      Set<String> inSarif = resultLines(sarif);
      for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.DECOY)) {
        JsonObject f = at(findings, p, "llm");
        assertNotNull(f, "the review reported the decoy " + p);
        assertEquals("rejected", f.getString("state"), f.encodePrettily());
        assertEquals("rejected", f.getJsonObject("verification").getString("verdict"));
        assertFalse(f.getJsonObject("verification").getString("justification").isBlank());
        JsonObject rule = at(findings, p, "rules");
        if (rule != null) assertEquals("rejected", rule.getString("state"), "the local rule at the same lines takes the verdict");
        assertFalse(inSarif.contains(p.path() + ":" + p.line()), "no SARIF result at a decoy: " + p);
      }
      for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.REAL)) {
        JsonObject f = at(findings, p, "llm");
        assertNotNull(f, "real finding reported: " + p);
        assertEquals("open", f.getString("state"));
        assertEquals("confirmed", f.getJsonObject("verification").getString("verdict"), f.encodePrettily());
        assertTrue(inSarif.contains(p.path() + ":" + p.line()), "in SARIF: " + p);
      }
      JsonObject lowered = at(findings, repo.of(DecoyRepo.Kind.ENVIRONMENT).get(0), "llm");
      assertEquals("medium", lowered.getString("severity"));
      assertEquals("critical", lowered.getJsonObject("verification").getString("originalSeverity"));

      JsonObject v = scan.getJsonObject("verification");
      assertEquals("done", v.getString("status"), v.encode());
      assertEquals("all", v.getString("mode"));
      assertEquals(v.getInteger("requested"), v.getInteger("verified"));
      JsonObject usage = scan.getJsonObject("usage");
      long verifyRequests = usage.getJsonObject("verification").getLong("requests");
      assertEquals(sim.stats().getLong("verificationRequests"), verifyRequests);
      long filesWithModelFindings = findings.stream().map(JsonObject.class::cast).filter(f -> f.getString("source").equals("llm"))
          .map(f -> f.getString("path")).distinct().count();
      assertEquals(filesWithModelFindings, verifyRequests, "one verification request per file with findings");
      System.out.printf("E2E verification: %d findings, %d rejected; %d review + %d verification requests%n", findings.size(),
          v.getInteger("rejected"), usage.getLong("requests") - verifyRequests, verifyRequests);
    } finally {
      Http.await(sim.close(), 10);
    }
  }

  @Test
  void theExitCodeIgnoresRejectedDecoysButNotFindingsThatCouldNotBeVerified() throws Exception {
    ModelSimulator sim = simulator(SimulatorOptions.builder());
    ModelSimulator failing = simulator(SimulatorOptions.builder().failVerification());
    try {
      Path sarif = tmp.resolve("decoys.sarif");
      var verified = ScannerProcess.run(tmp, env(sim, "all"), Duration.ofMinutes(2), "scan", decoysOnly.toString(), "--no-progress",
          "--fail-on", "high", "--format", "sarif", "--output", sarif.toString());
      assertEquals(0, verified.exitCode(), "only rejected findings at or above high: " + verified.stderr());
      Set<String> inSarif = resultLines(new JsonObject(Files.readString(sarif)));
      for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.DECOY)) assertFalse(inSarif.contains(p.path() + ":" + p.line()), p.toString());

      Path json = tmp.resolve("failing.json");
      var failed = ScannerProcess.run(tmp, env(failing, "all"), Duration.ofMinutes(2), "scan", decoysOnly.toString(), "--no-progress",
          "--fail-on", "high", "--format", "json", "--output", json.toString(), "--config", tmp.resolve("small-chunks.json").toString());
      // The same code fails the build when the pass cannot vouch for it: the exit 0 above is the verdicts' doing.
      assertEquals(1, failed.exitCode(), "fail closed: findings that could not be verified count: " + failed.stderr());
      assertTrue(failed.stderr().contains("verification partial"), failed.stderr());
      JsonObject report = new JsonObject(Files.readString(json));
      JsonObject v = report.getJsonObject("scan").getJsonObject("verification");
      assertEquals("partial", v.getString("status"), v.encode());
      assertTrue(v.getInteger("failed") > 0);
      assertEquals(v.getInteger("requested"), v.getInteger("failed"));
      for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.DECOY)) {
        JsonObject f = at(report.getJsonArray("findings"), p, "llm");
        assertNotNull(f, p.toString());
        assertEquals("open", f.getString("state"));
        assertEquals("uncertain", f.getJsonObject("verification").getString("verdict"));
        assertNotNull(f.getJsonObject("verification").getString("failure"));
      }
      assertTrue(failing.stats().getLong("verificationRequests") > 0);
    } finally {
      Http.await(sim.close(), 10);
      Http.await(failing.close(), 10);
    }
  }
}
