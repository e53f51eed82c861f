package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone worker on the embedded database, stopped and started again on the same data directory:
 * finished scans come back whole, a scan that was running is resumed (see also ResumeIT); and the paged
 * lists, the CLI's data directory and the bad database states, through the real jar.
 */
class StoreRestartIT {
  static final String[] KEYS = {"sk-test-restart-0-000000000000", "sk-test-restart-1-111111111111"};

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(30, 0.2).seed(12).build());
    Http.await(sim.start(), 10);
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  static Map<String, String> env(Path dataDir) {
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("SCANNER_DATA_DIR", dataDir.toString());
    return env;
  }

  /** Everything a client can read about a finished scan. */
  record Snapshot(JsonObject scan, JsonArray findings, JsonObject sarif, List<String> events) {
    static Snapshot read(Http http, String id) throws Exception {
      JsonObject scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      JsonArray findings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      JsonObject sarif = http.get("/api/v1/scans/" + id + "/report.sarif").bodyAsJsonObject();
      Http.SseResult sse = http.events(id, null, 60);
      assertEquals(200, sse.status());
      List<String> events = new ArrayList<>();
      for (SseEvent e : sse.events()) events.add(e.id() + " " + e.event() + " " + e.data());
      assertTrue(events.get(events.size() - 1).contains(" done "), "the replay ends in done");
      return new Snapshot(scan, findings, sarif, events);
    }
  }

  @Test
  void finishedScansComeBackWholeAfterARestartOnTheSameDataDirectory() throws Exception {
    Path data = tmp.resolve("data-restart");
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-restart"), 24, 77);
    Path zip = repo.zip(tmp.resolve("restart.zip"));
    String id;
    Snapshot before;
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env(data), "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
      String options = URLEncoder.encode(new JsonObject().put("project", "restart-demo").encode(), StandardCharsets.UTF_8);
      id = ApiAssert.accepted(http.postFile("/api/v1/scans?options=" + options, "application/zip", zip));
      JsonObject scan = ApiAssert.awaitFinal(http, id, 120);
      assertEquals("completed", scan.getString("status"), scan.encodePrettily());
      assertEquals("restart-demo", scan.getString("project"));
      before = Snapshot.read(http, id);
      assertFalse(before.findings().isEmpty());
      assertTrue(scanner.log().contains("scan store: embedded database in " + data), scanner.log());
    }
    assertTrue(Files.isRegularFile(data.resolve("scanner.mv.db")), "the database is a file under SCANNER_DATA_DIR");
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env(data), "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
      Snapshot after = Snapshot.read(http, id);
      assertEquals(before.scan(), after.scan());
      assertEquals(before.findings(), after.findings(), "the same findings with the same ids");
      assertEquals(before.sarif().getJsonArray("runs").getJsonObject(0).getJsonArray("results"),
          after.sarif().getJsonArray("runs").getJsonObject(0).getJsonArray("results"));
      assertEquals(before.events(), after.events(), "the full replay, event for event, ending in done");
      JsonArray listed = http.get("/api/v1/scans?project=restart-demo").bodyAsJsonObject().getJsonArray("scans");
      assertEquals(1, listed.size());
      assertEquals(204, http.events(id, Long.parseLong(after.events().get(after.events().size() - 1).split(" ")[0]), 30).status());
    }
  }

  @Test
  void aScanRunningAtAKillIsResumedAtTheNextStartWithCountersThatAddUp() throws Exception {
    Path data = tmp.resolve("data-interrupted");
    Files.writeString(tmp.resolve("slow.json"), new JsonObject().put("keys", new JsonObject().put("maxInFlightPerKey", 1))
        .put("model", new JsonObject().put("maxChunkTokens", 600)).encode());
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-slow"), 80, 5);
    Path zip = repo.zip(tmp.resolve("slow.zip"));
    String id;
    ModelSimulator slow = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(400, 0.1).seed(3).build());
    Http.await(slow.start(), 10);
    try {
      Map<String, String> env = EndToEndIT.keyEnv(slow.baseUrl(), KEYS);
      env.put("SCANNER_DATA_DIR", data.toString());
      ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster", "--config", tmp.resolve("slow.json").toString());
      try (Http http = new Http(scanner.baseUrl(), null)) {
        id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject scan;
        do {
          Thread.sleep(200);
          scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
        } while (scan.getJsonObject("progress").getInteger("filesScanned") < 3 && System.currentTimeMillis() < deadline);
        assertEquals("scanning", scan.getString("status"), scan.encodePrettily());
      } finally {
        scanner.process().destroyForcibly().waitFor();
      }
      try (ScannerProcess again = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(again.baseUrl(), null)) {
        JsonObject scan = ApiAssert.awaitFinal(http, id, 120);
        assertEquals("completed", scan.getString("status"), scan.encodePrettily());
        JsonObject p = scan.getJsonObject("progress");
        assertEquals(p.getInteger("filesTotal"), p.getInteger("filesScanned") + p.getInteger("filesFailed"), p.encode());
        assertEquals(0, p.getInteger("filesFailed"), p.encode());
        Http.SseResult sse = http.events(id, null, 60);
        assertEquals("done", sse.events().get(sse.events().size() - 1).event());
        EndToEndIT.assertConsecutive(sse.events(), 1);
      }
    } finally {
      Http.await(slow.close(), 10);
    }
  }

  @Test
  void listsArePagedWithSignedCursorsAndBadParametersAreRefused() throws Exception {
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, Map.of(), "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
      StringBuilder code = new StringBuilder();
      for (int i = 0; i < 7; i++) code.append("eval(input").append(i).append(");\n");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        JsonObject body = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
            .add(new JsonObject().put("path", "app/x" + i + ".js").put("content", code.toString()))))
            .put("options", new JsonObject().put("project", i % 2 == 0 ? "even" : "odd"));
        ids.add(ApiAssert.accepted(http.postJson("/api/v1/scans", body)));
      }
      for (String id : ids) ApiAssert.awaitFinal(http, id, 60);
      Set<String> seen = new HashSet<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonObject page = http.get("/api/v1/scans?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
        page.getJsonArray("scans").forEach(s -> assertTrue(seen.add(((JsonObject) s).getString("id")), "listed twice"));
        cursor = page.getString("next");
        pages++;
      } while (cursor != null);
      assertEquals(Set.copyOf(ids), seen);
      assertEquals(3, pages);
      JsonObject even = http.get("/api/v1/scans?project=even&limit=2").bodyAsJsonObject();
      assertEquals(2, even.getJsonArray("scans").size());
      assertEquals("even", even.getJsonArray("scans").getJsonObject(0).getString("project"));
      String evenCursor = even.getString("next");
      assertNotNull(evenCursor);
      assertEquals(1, http.get("/api/v1/scans?project=even&limit=2&cursor=" + evenCursor).bodyAsJsonObject().getJsonArray("scans").size());
      ApiAssert.error(http.get("/api/v1/scans?project=odd&limit=2&cursor=" + evenCursor), 400, "invalid_request");
      String forged = evenCursor.substring(0, evenCursor.indexOf('.') - 2) + "xx" + evenCursor.substring(evenCursor.indexOf('.'));
      ApiAssert.error(http.get("/api/v1/scans?project=even&cursor=" + forged), 400, "invalid_request");
      for (String bad : new String[] {"limit=0", "limit=1001", "limit=ten", "status=done", "project=" + enc("x' OR '1'='1"),
          "cursor=" + enc("' OR 1=1 --"), "status=" + enc("completed' --")}) {
        ApiAssert.error(http.get("/api/v1/scans?" + bad), 400, "invalid_request");
      }
      ApiAssert.error(http.get("/api/v1/scans/" + enc("x' OR '1'='1")), 404, "not_found");
      String id = ids.get(0);
      List<String> paged = new ArrayList<>();
      cursor = null;
      do {
        JsonObject page = http.get("/api/v1/scans/" + id + "/findings?limit=3&severity=high"
            + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
        page.getJsonArray("findings").forEach(f -> paged.add(((JsonObject) f).getString("id")));
        cursor = page.getString("next");
      } while (cursor != null);
      List<String> all = new ArrayList<>();
      http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings")
          .forEach(f -> all.add(((JsonObject) f).getString("id")));
      assertEquals(7, all.size());
      assertEquals(all, paged, "the pages, in order, are the whole list");
      assertNull(http.get("/api/v1/scans/" + id + "/findings?limit=1000").bodyAsJsonObject().getString("next"));
      for (String bad : new String[] {"severity=" + enc("high' OR '1'='1"), "state=" + enc("open; DROP TABLE findings"),
          "baselineState=old", "limit=-1", "cursor=abc"}) {
        ApiAssert.error(http.get("/api/v1/scans/" + id + "/findings?" + bad), 400, "invalid_request");
      }
      assertEquals(7, http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings").size());
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void theCliKeepsItsScansInItsDataDirectoryAndFallsBackToMemoryOnlyForTheDefaultOne() throws Exception {
    TestRepo repo = TestRepo.generate(tmp.resolve("repo-cli"), 8, 9);
    Path data = tmp.resolve("cli-data");
    List<Process> running = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path out = tmp.resolve("cli-" + i + ".json");
      outs.add(out);
      running.add(cli(repo.root, "--data-dir", data.toString(), "--format", "json", "--output", out.toString(), "--fail-on", "none"));
    }
    for (Process p : running) {
      assertTrue(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    Set<String> scanIds = new HashSet<>();
    for (Path out : outs) scanIds.add(new JsonObject(Files.readString(out)).getJsonObject("scan").getString("id"));
    assertEquals(3, scanIds.size(), "three concurrent scans on one data directory, each whole");
    assertTrue(Files.isRegularFile(data.resolve("scanner.mv.db")));

    Path aFile = Files.writeString(tmp.resolve("not-a-dir"), "x");
    var fallback = ScannerProcess.run(tmp, Map.of("XDG_DATA_HOME", aFile.toString()), Duration.ofMinutes(2),
        "scan", repo.root.toString(), "--fail-on", "none", "--format", "json");
    assertEquals(0, fallback.exitCode(), fallback.stderr());
    assertEquals(1, fallback.stderr().lines().filter(l -> l.startsWith("warning:")).count(), fallback.stderr());
    assertTrue(fallback.stderr().contains("in memory only"), fallback.stderr());
    var explicit = ScannerProcess.run(tmp, Map.of(), Duration.ofMinutes(2), "scan", repo.root.toString(),
        "--data-dir", aFile.resolve("sub").toString());
    assertEquals(2, explicit.exitCode(), explicit.stderr());
    assertEquals(1, explicit.stderr().strip().lines().count(), explicit.stderr());
    var ignoredUrl = ScannerProcess.run(tmp, Map.of("SCANNER_DB_URL", "postgresql://127.0.0.1:1/nothing"), Duration.ofMinutes(2),
        "scan", repo.root.toString(), "--fail-on", "none");
    assertEquals(0, ignoredUrl.exitCode(), "scan ignores SCANNER_DB_URL: " + ignoredUrl.stderr());
  }

  private static Process cli(Path target, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
        ScannerProcess.jar().toAbsolutePath().toString(), "scan", target.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("SCANNER_"));
    return pb.start();
  }

  @Test
  void badDatabaseSettingsAreOneLineAndExitTwoWithoutThePassword() throws Exception {
    String password = "pw-that-must-not-leak-42";
    int closed = ScannerProcess.freePort();
    var unreachable = ScannerProcess.run(tmp, Map.of("SCANNER_DB_URL", "postgresql://127.0.0.1:" + closed + "/scanner",
        "SCANNER_DB_USER", "scanner", "SCANNER_DB_PASSWORD", password, "CLUSTER_JOIN_TIMEOUT", "12s"), Duration.ofMinutes(1),
        "serve", "--no-cluster", "--port", Integer.toString(ScannerProcess.freePort()));
    assertEquals(2, unreachable.exitCode(), unreachable.stdout() + unreachable.stderr());
    String all = unreachable.stdout() + unreachable.stderr();
    assertFalse(all.contains(password), all);
    assertEquals(1, unreachable.stderr().lines().filter(l -> l.startsWith("error:")).count(), unreachable.stderr());
    assertTrue(unreachable.stderr().contains("127.0.0.1:" + closed + "/scanner"), unreachable.stderr());
    assertEquals(1, all.lines().filter(l -> l.contains("does not answer yet")).count(), "one line while it waits: " + all);

    var inUrl = ScannerProcess.run(tmp, Map.of("SCANNER_DB_URL", "postgresql://scanner:" + password + "@127.0.0.1/scanner"),
        Duration.ofMinutes(1), "serve", "--no-cluster");
    assertEquals(2, inUrl.exitCode());
    assertFalse((inUrl.stdout() + inUrl.stderr()).contains(password));
    assertEquals(1, inUrl.stderr().strip().lines().count(), inUrl.stderr());

    var clustered = ScannerProcess.run(tmp, Map.of(), Duration.ofMinutes(1), "serve");
    assertEquals(2, clustered.exitCode());
    assertTrue(clustered.stderr().contains("SCANNER_DB_URL"), clustered.stderr());
    assertEquals(1, clustered.stderr().strip().lines().count(), clustered.stderr());

    Path aFile = Files.writeString(tmp.resolve("plain-file"), "x");
    var unwritable = ScannerProcess.run(tmp, Map.of("SCANNER_DATA_DIR", aFile.resolve("db").toString()), Duration.ofMinutes(1),
        "serve", "--no-cluster", "--port", Integer.toString(ScannerProcess.freePort()));
    assertEquals(2, unwritable.exitCode(), unwritable.stderr());
    assertTrue(unwritable.stderr().contains("not writable"), unwritable.stderr());
  }
}
