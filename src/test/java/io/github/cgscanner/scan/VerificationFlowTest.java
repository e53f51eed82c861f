package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingState;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.VerifyMode;
import io.github.cgscanner.it.DecoyRepo;
import io.github.cgscanner.llm.KeyVerticle;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.source.WorkRoot;
import io.github.cgscanner.store.MemoryScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator, its dispatcher and one key in this JVM against the simulator: what the verification pass does to findings. */
class VerificationFlowTest {
  private static final String KEY = "sk-test-verify-0123456789abcdef";

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private record Outcome(JsonObject scan, List<ScanEvent> events, List<Finding> findings, ModelSimulator sim) {}

  private Outcome scan(DecoyRepo repo, SimulatorOptions.Builder simOptions, VerifyMode mode) throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, simOptions.keys(KEY).build());
    await(sim.start());
    JsonObject json = ConfigLoader.defaults();
    json.getJsonObject("model").put("baseUrl", sim.baseUrl()).put("maxChunkTokens", 600).put("requestTimeout", "5s");
    json.getJsonObject("keys").put("apiKeys", new JsonArray().add(KEY));
    json.getJsonObject("scan").put("maxAttempts", 2);
    json.getJsonObject("review").put("verify", mode.wire());
    ScannerConfig config = ScannerConfig.fromJson(json);
    MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofHours(1), 10);
    await(vertx.deployVerticle(new DispatcherVerticle("n1")));
    await(vertx.deployVerticle(new ScanCoordinatorVerticle(new ScanCoordinatorVerticle.Settings("n1", config.sources(), config.scan(),
        config.model(), config.review(), config.cache(), config.keys().providers(), Duration.ofSeconds(3)), store, io.github.cgscanner.store.ReviewCache.OFF,
        WorkRoot.open(tmp.resolve("work")))));
    await(vertx.deployVerticle(new KeyVerticle(new KeyVerticle.Settings("n1", config.keys().apiKeys().get(0), config.model(),
        config.keys().limits(), 4, "key:test"))));
    JsonObject submitted = await(new CoordinatorClient(vertx.eventBus()).submit("n1", new SubmitScan(
        SourceSpec.parseSubmitted(repo.inlineFiles(), config.sources()).toJson(), ScanOptions.none(), null, null)));
    String id = submitted.getString("id");
    long deadline = System.currentTimeMillis() + 60_000;
    JsonObject record = null;
    while (System.currentTimeMillis() < deadline) {
      record = await(store.scan(id));
      if (record != null && io.github.cgscanner.domain.ScanStatus.isFinal(record.getString("status"))) break;
      Thread.sleep(50);
    }
    Thread.sleep(200);
    record = await(store.scan(id));
    return new Outcome(record, await(store.allEvents(record)), await(store.findings(record)), sim);
  }

  private static Finding at(List<Finding> findings, DecoyRepo.Planted p, String source) {
    return findings.stream().filter(f -> f.path().equals(p.path()) && f.startLine() == p.line() && f.source().equals(source))
        .findFirst().orElse(null);
  }

  @Test
  void decoysAreRejectedRealFindingsConfirmedAndEachStreamedOnceInItsFinalForm() throws Exception {
    DecoyRepo repo = DecoyRepo.generate(4, 2, 60, 1);
    Outcome o = scan(repo, SimulatorOptions.builder(), VerifyMode.ALL);
    assertEquals("completed", o.scan().getString("status"), o.scan().encodePrettily());
    List<String> ids = o.findings().stream().map(Finding::id).toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "each finding streamed once: " + ids);

    for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.DECOY)) {
      Finding f = at(o.findings(), p, "llm");
      assertNotNull(f, "the review reports the decoy " + p);
      assertEquals(FindingState.REJECTED, f.state(), p + ": " + f.verification());
      assertEquals("rejected", f.verification().verdict().wire());
      assertTrue(f.verification().justification().contains("line"), f.verification().justification());
      Finding rule = at(o.findings(), p, "rules");
      if (rule != null) assertEquals(FindingState.REJECTED, rule.state(), "a rule finding at the same lines takes the verdict: " + rule);
    }
    for (DecoyRepo.Planted p : repo.of(DecoyRepo.Kind.REAL)) {
      Finding f = at(o.findings(), p, "llm");
      assertNotNull(f, "real finding reported " + p);
      assertEquals(FindingState.OPEN, f.state());
      assertEquals("confirmed", f.verification().verdict().wire(), p.toString());
      assertEquals(p.severity(), f.severity().wire());
    }
    DecoyRepo.Planted env = repo.of(DecoyRepo.Kind.ENVIRONMENT).get(0);
    Finding lowered = at(o.findings(), env, "llm");
    assertEquals("medium", lowered.severity().wire(), "the severity the verifier lowered is applied");
    assertEquals("critical", lowered.verification().originalSeverity().wire(), "and shown");

    JsonObject v = o.scan().getJsonObject("verification");
    assertEquals("done", v.getString("status"), v.encode());
    assertEquals(v.getInteger("requested"), v.getInteger("verified"));
    assertEquals(0, v.getInteger("failed"));
    long rejected = o.findings().stream().filter(f -> f.state() == FindingState.REJECTED).count();
    assertEquals(rejected, (long) v.getInteger("rejected"));
    int bySeverity = o.scan().getJsonObject("findingsBySeverity").stream().mapToInt(e -> ((Number) e.getValue()).intValue()).sum();
    assertEquals(o.findings().size() - rejected, bySeverity, "rejected findings are not counted by severity");

    JsonObject usage = o.scan().getJsonObject("usage");
    Set<String> verifiedFiles = o.findings().stream().filter(f -> f.source().equals("llm")).map(Finding::path).collect(Collectors.toSet());
    assertEquals(verifiedFiles.size(), usage.getJsonObject("verification").getInteger("requests"), "one request per file: " + usage);
    assertEquals(o.sim().stats().getLong("verificationRequests"), usage.getJsonObject("verification").getLong("requests"));
    assertTrue(usage.getLong("requests") > usage.getJsonObject("verification").getLong("requests"));

    // The verification request of a decoy carries the guard that a review chunk did not.
    DecoyRepo.Planted allowList = repo.of(DecoyRepo.Kind.DECOY).stream().filter(p -> p.path().contains("ping_allowed")).findFirst().orElseThrow();
    List<String> prompts = o.sim().prompts();
    String sink = allowList.line() + "|     os.system(";
    String guard = "|     if host not in ALLOWED_HOSTS:";
    assertTrue(prompts.stream().anyMatch(p -> p.contains(sink) && !p.contains(guard) && !p.contains("FINDINGS")),
        "some review chunk holds the sink without its guard");
    assertTrue(prompts.stream().anyMatch(p -> p.contains(sink) && p.contains(guard) && p.contains("FINDINGS")),
        "the verification shows both");
  }

  @Test
  void whenEveryVerificationFailsFindingsStayReportedAsUncertainAndTheScanSaysVerificationWasPartial() throws Exception {
    DecoyRepo repo = DecoyRepo.generate(2, 0, 20, 2);
    Outcome o = scan(repo, SimulatorOptions.builder().failVerification(), VerifyMode.HIGH);
    assertEquals("completed", o.scan().getString("status"), o.scan().encodePrettily());
    assertEquals("done", o.scan().getString("modelReview"), "the review itself was whole");
    for (DecoyRepo.Planted p : repo.planted) {
      Finding f = at(o.findings(), p, "llm");
      assertNotNull(f, p.toString());
      assertEquals(FindingState.OPEN, f.state(), "fail closed: " + p);
      if (p.severity().equals("medium")) {
        assertNull(f.verification(), "medium findings are not verified at high: " + f);
      } else {
        assertEquals("uncertain", f.verification().verdict().wire());
        assertNotNull(f.verification().failure(), f.verification().toString());
        assertNull(f.verification().confidence());
      }
    }
    JsonObject v = o.scan().getJsonObject("verification");
    assertEquals("partial", v.getString("status"), v.encode());
    assertEquals(v.getInteger("requested"), v.getInteger("failed"));
    assertTrue(v.getInteger("failed") > 0);
  }

  @Test
  void withTheModeOffNothingIsHeldOrAskedTwice() throws Exception {
    DecoyRepo repo = DecoyRepo.generate(2, 0, 10, 3);
    Outcome o = scan(repo, SimulatorOptions.builder(), VerifyMode.OFF);
    assertEquals("completed", o.scan().getString("status"));
    assertEquals(0L, o.sim().stats().getLong("verificationRequests"));
    assertTrue(o.findings().stream().allMatch(f -> f.verification() == null && f.reported()));
    assertEquals("off", o.scan().getJsonObject("verification").getString("status"));
  }
}
