package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone worker on the embedded database stopped mid-scan (SIGTERM, then kill -9) and started again
 * on the same data directory: the scan is resumed, not restarted — same id, its events go on, reviews
 * done before are not asked again, every planted finding exactly once. The review cache is off, so
 * nothing but the stored tasks can spare a chunk its second request.
 */
class ResumeIT {
  static final String[] KEYS = {"sk-test-resume-0-000000000000", "sk-test-resume-1-111111111111"};
  /** Keys × requests each may have in flight: at most this many chunks may be sent twice per fault. */
  static final int IN_FLIGHT = 2;

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(250, 0.1).seed(13).build());
    Http.await(sim.start(), 10);
    Files.writeString(tmp.resolve("slow.json"), new JsonObject().put("keys", new JsonObject().put("maxInFlightPerKey", 1))
        .put("model", new JsonObject().put("maxChunkTokens", 600)).encode());
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  static Map<String, String> env(Path data) {
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("SCANNER_DATA_DIR", data.toString());
    env.put("SCANNER_REVIEW_CACHE_TTL", "0");
    env.put("SCANNER_REVIEW_VERIFY", "off");
    return env;
  }

  static ScannerProcess start(Path data) throws Exception {
    return ScannerProcess.serve(tmp, env(data), "--no-cluster", "--config", tmp.resolve("slow.json").toString());
  }

  /** Review prompts by the chunk they carry (its file headers): how often each chunk was asked. */
  static Map<String, Long> requestsPerChunk(List<String> prompts) {
    return prompts.stream().filter(p -> !p.contains("\n{\"id\":"))
        .map(p -> p.lines().filter(l -> l.startsWith("=== FILE: ")).collect(Collectors.joining("|")))
        .collect(Collectors.groupingBy(k -> k, HashMap::new, Collectors.counting()));
  }

  private static final Pattern FILE_HEADER = Pattern.compile("=== FILE: (\\S+) \\(lines (\\d+)-\\d+\\) ===");

  /** The parts of a chunk as {@code path:startLine}, read from its prompt's file headers. */
  static List<String> partsOf(String chunk) {
    List<String> out = new java.util.ArrayList<>();
    Matcher m = FILE_HEADER.matcher(chunk);
    while (m.find()) out.add(m.group(1) + ":" + m.group(2));
    return out;
  }

  /** The parts ({@code path:startLine}) of the tasks the worker's embedded database holds as answered, read with it stopped. */
  static Set<String> answeredParts(Path data, String scanId) throws Exception {
    String url = "jdbc:h2:file:" + data.resolve("scanner") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    Set<String> out = new HashSet<>();
    try (Connection c = DriverManager.getConnection(url, "scanner", Files.readString(data.resolve("db-password")).strip());
         PreparedStatement q = c.prepareStatement("SELECT payload FROM scan_tasks WHERE scan_id = ? AND state = 'done'")) {
      q.setString(1, scanId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          JsonArray parts = new JsonObject(rs.getString(1)).getJsonArray("parts", new JsonArray());
          for (Object o : parts) out.add(((JsonObject) o).getString("path") + ":" + ((JsonObject) o).getValue("startLine"));
        }
      }
    }
    return out;
  }

  /** Answers other than 200 (rate limits, faults): each is a chunk asked again without any fault of ours. */
  static long notOk(ModelSimulator sim) {
    long n = 0;
    JsonObject byLabel = sim.stats().getJsonObject("responses");
    for (String label : byLabel.fieldNames()) {
      JsonObject byStatus = byLabel.getJsonObject(label);
      for (String status : byStatus.fieldNames()) if (!status.equals("200")) n += byStatus.getLong(status);
    }
    return n;
  }

  static JsonObject awaitScanned(Http http, String id, double share) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    JsonObject scan;
    do {
      Thread.sleep(100);
      scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      JsonObject p = scan.getJsonObject("progress");
      if (p.getInteger("filesTotal") > 0 && p.getInteger("filesScanned") >= share * p.getInteger("filesTotal")) return scan;
    } while (System.currentTimeMillis() < deadline && !"completed".equals(scan.getString("status")));
    throw new AssertionError("the scan never got to " + share + ": " + scan.encode());
  }

  @Test
  void aScanStoppedBySigtermIsResumedAtTheNextStartAskingOnlyWhatWasInFlight() throws Exception {
    Path data = tmp.resolve("data-sigterm");
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-sigterm"), 80, 21);
    Path zip = repo.zip(tmp.resolve("sigterm.zip"));
    int before = sim.prompts().size();
    String id;
    String firstCoordinator;
    String firstLog;
    try (ScannerProcess scanner = start(data); Http http = new Http(scanner.baseUrl(), null)) {
      id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      JsonObject scan = awaitScanned(http, id, 0.3);
      assertEquals("scanning", scan.getString("status"), scan.encodePrettily());
      firstCoordinator = scan.getString("coordinator");
      scanner.process().destroy();
      assertTrue(scanner.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the worker stops within its drain");
      firstLog = scanner.log();
    }
    long stopped = System.currentTimeMillis();
    try (ScannerProcess again = start(data); Http http = new Http(again.baseUrl(), null)) {
      long resumedAt;
      try {
        resumedAt = awaitCoordinatorOtherThan(http, id, firstCoordinator);
      } catch (AssertionError e) {
        System.out.println("=== stopped worker\n" + firstLog + "\n=== started again\n" + again.log() + "\n"
            + http.get("/api/v1/scans/" + id).bodyAsString());
        throw e;
      }
      JsonObject scan = awaitFinal(again, http, id);
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertEquals("done", scan.getString("modelReview"), scan.encodePrettily());
      assertEquals(id, scan.getString("id"));
      JsonArray findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      EndToEndIT.assertPlantedExactlyOnce(repo, findings);
      assertEquals(findings.size(), findings.stream().map(f -> ((JsonObject) f).getString("id")).distinct().count(), "each id once");
      Http.SseResult sse = http.events(id, null, 60);
      EndToEndIT.assertConsecutive(sse.events(), 1);
      assertEquals("done", sse.events().get(sse.events().size() - 1).event());
      Map<String, Long> perChunk = requestsPerChunk(sim.prompts().subList(before, sim.prompts().size()));
      long twice = perChunk.values().stream().filter(n -> n > 1).count();
      System.out.printf("ResumeIT sigterm: %d chunks, %d sent twice (%d answers other than 200 in the whole class so far), resumed %d ms "
          + "after the old worker stopped (start-up included)%n", perChunk.size(), twice, notOk(sim), resumedAt - stopped);
      assertTrue(twice <= IN_FLIGHT, "only chunks in flight at the stop may be sent twice: " + twice);
      assertTrue(again.log().contains("resumed"), again.log());
    }
  }

  /** The worker's log goes with a scan that does not end: it says why. */
  static JsonObject awaitFinal(ScannerProcess worker, Http http, String id) throws Exception {
    try {
      return ApiAssert.awaitFinal(http, id, 120);
    } catch (AssertionError e) {
      System.out.println(worker.log().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("resum")
          || l.startsWith("\t") || l.contains("Exception")).collect(Collectors.joining("\n")));
      throw e;
    }
  }

  /** @return when the scan's record first named another coordinator */
  static long awaitCoordinatorOtherThan(Http http, String id, String old) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      if (scan.getString("coordinator") != null && !old.equals(scan.getString("coordinator"))) return System.currentTimeMillis();
      Thread.sleep(50);
    }
    throw new AssertionError("the scan was not taken over");
  }

  @Test
  void aScanWhoseWorkerWasKilledIsResumedOnceItsHeartbeatStops() throws Exception {
    Path data = tmp.resolve("data-kill");
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-kill"), 60, 22);
    Path zip = repo.zip(tmp.resolve("kill.zip"));
    String id;
    String firstCoordinator;
    int before = sim.prompts().size();
    ScannerProcess scanner = start(data);
    try (Http http = new Http(scanner.baseUrl(), null)) {
      id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      firstCoordinator = awaitScanned(http, id, 0.3).getString("coordinator");
    } finally {
      scanner.process().destroyForcibly().waitFor();
    }
    long killed = System.currentTimeMillis();
    // What the dead worker had asked, and what of it its store says is answered: only the difference may be asked again.
    int atKill = sim.prompts().size();
    Map<String, Long> beforeKill = requestsPerChunk(sim.prompts().subList(before, atKill));
    Set<String> answeredAtKill = answeredParts(data, id);
    try (ScannerProcess again = start(data); Http http = new Http(again.baseUrl(), null)) {
      long resumedAt = awaitCoordinatorOtherThan(http, id, firstCoordinator);
      JsonObject scan = awaitFinal(again, http, id);
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertNotEquals(firstCoordinator, scan.getString("coordinator"));
      EndToEndIT.assertPlantedExactlyOnce(repo, http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      Http.SseResult sse = http.events(id, null, 60);
      EndToEndIT.assertConsecutive(sse.events(), 1);
      Map<String, Long> perChunk = requestsPerChunk(sim.prompts().subList(before, sim.prompts().size()));
      long twice = perChunk.values().stream().filter(n -> n > 1).count();
      System.out.printf("ResumeIT kill -9: %d chunks, %d sent twice (%d answers other than 200 in the whole class so far), resumed %d ms "
          + "after the kill (start-up and the 12 s silence included)%n", perChunk.size(), twice, notOk(sim), resumedAt - killed);
      // Sent before the kill and not stored as answered: in flight, or answered while their state was still on
      // its way to the store. Nothing stored as answered is ever asked again.
      List<String> askedAgain = requestsPerChunk(sim.prompts().subList(atKill, sim.prompts().size())).keySet().stream()
          .filter(beforeKill::containsKey).toList();
      System.out.printf("ResumeIT kill -9: %d chunks sent before the kill, %d parts stored as answered, %d asked again after it%n",
          beforeKill.size(), answeredAtKill.size(), askedAgain.size());
      // A chunk sent before the kill may be asked again only if its answer had not reached the store: it was in
      // flight, or answered while its state was still on its way. Nothing stored as answered is asked again.
      for (String chunk : askedAgain) {
        assertTrue(partsOf(chunk).stream().noneMatch(answeredAtKill::contains), "asked again although stored as answered: " + chunk);
      }
      assertTrue(askedAgain.size() <= beforeKill.size(), "more chunks asked again than were sent");
    }
  }
}
