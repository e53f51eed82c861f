package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.JdbcScanStore;
import io.github.cgscanner.store.jdbc.Retention;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -Pbench verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StoreBenchIT}:
 * the store's targets on a PostgreSQL with its default durability (fsync on) and through real workers.
 * Prints its figures and fails when a target is missed.
 */
class StoreBenchIT {
  @TempDir static Path tmp;
  static PostgresServer pg;
  static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresServer.start(true);
    passwordFile = Files.writeString(tmp.resolve("pw"), pg.password());
  }

  @AfterAll
  static void stop() {
    pg.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  static Map<String, String> pgEnv(String url) {
    return ScannerProcess.env("SCANNER_DB_URL", url, "SCANNER_DB_USER", PostgresServer.USER, "SCANNER_DB_PASSWORD_FILE",
        passwordFile.toString());
  }

  /** One file of {@code n} lines, each a local-rule finding. */
  static JsonObject findingsScan(int n) {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < n; i++) code.append("eval(input").append(i).append(");\n");
    return new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
        .add(new JsonObject().put("path", "app/gen.js").put("content", code.toString()))));
  }

  @Test
  void tenThousandFindingsAreWrittenAndReplayedFastEnough() throws Exception {
    String url = pg.newDatabase("bench_events");
    try (ScannerProcess worker = ScannerProcess.serve(tmp, pgEnv(url), "--no-cluster"); Http http = new Http(worker.baseUrl(), null)) {
      JsonObject scan = null;
      for (int round = 0; round < 2; round++) {
        var submitted = http.postJson("/api/v1/scans", findingsScan(10_000));
        assertEquals(202, submitted.statusCode(), submitted.bodyAsString());
        String id = submitted.bodyAsJsonObject().getString("id");
        scan = awaitFinal(http, id);
        assertEquals(10_000, scan.getJsonObject("findingsBySeverity").getInteger("high"));
      }
      // The scan's own clock: its findings are all written between these two (the second round, warm).
      double scanSeconds = Duration.between(Instant.parse(scan.getString("startedAt")), Instant.parse(scan.getString("finishedAt")))
          .toNanos() / 1e9;
      long t0 = System.nanoTime();
      Http.SseResult replay = http.events(scan.getString("id"), null, 120);
      double replaySeconds = (System.nanoTime() - t0) / 1e9;
      assertEquals("done", replay.events().get(replay.events().size() - 1).event());
      int events = replay.events().size();
      System.out.printf("PG worker: a scan of %d events (10,000 findings) from start to done in %.2f s (fetch, local rules "
          + "over 10,000 lines and the writes together: %.0f events/s)%n", events, scanSeconds, events / scanSeconds);
      System.out.printf("PG SSE replay through the worker: %d events in %.2f s = %.0f events/s%n", events, replaySeconds, events / replaySeconds);
      double rate = storeLevelWrites(pg.newDatabase("bench_batches"));
      assertTrue(rate >= 5_000, "events written per second, as the worker batches a 10,000-finding scan: " + rate);
      assertTrue(events / replaySeconds >= 20_000, "SSE replay events per second: " + events / replaySeconds);
    }
  }

  /**
   * The writes alone: batches as the event log makes them (everything appended in one event-loop turn);
   * local findings come in one turn, model findings a chunk's worth at a time.
   *
   * @return events per second written in batches of 10,000 (a scan's local findings)
   */
  private double storeLevelWrites(String url) throws Exception {
    Vertx vertx = Vertx.vertx();
    Database db = await(Database.open(vertx, new Database.Target(Database.Engine.POSTGRESQL, url, PostgresServer.USER, pg.password(), 8, url)));
    JdbcScanStore store = new JdbcScanStore(db, new Retention(Duration.ofHours(1), true, "bench"));
    try {
      double rate = 0;
      for (int batch : new int[] {1, 16, 256, 10_000, 10_000}) {
        String id = "batch-" + batch + "-" + System.nanoTime();
        int total = batch == 1 ? 2_000 : 10_000;
        long t0 = System.nanoTime();
        for (int seq = 1; seq <= total; seq += batch) {
          List<ScanEvent> events = new ArrayList<>();
          for (int s = seq; s < seq + batch && s <= total; s++) {
            events.add(new ScanEvent(s, ScanEvent.Type.FINDING, finding(s)));
          }
          await(store.appendEvents(id, events));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("PG appendEvents, batches of %d, one after another: %d finding events in %.2f s = %.0f events/s%n",
            batch, total, seconds, total / seconds);
        rate = total / seconds;
      }
      return rate;
    } finally {
      await(store.close());
      await(vertx.close());
    }
  }

  static JsonObject finding(int n) {
    return new JsonObject().put("id", "f" + n).put("ruleId", "rules/eval").put("title", "eval of input").put("severity", "high")
        .put("confidence", "high").put("path", "app/gen.js").put("startLine", n).put("endLine", n).put("snippet", "eval(input" + n + ");")
        .put("description", "code built from input is evaluated").put("recommendation", "do not eval input").put("source", "rules");
  }

  @Test
  void aPageOfTenThousandStoredScansIsServedInUnderFiftyMilliseconds() throws Exception {
    String url = pg.newDatabase("bench_list");
    Vertx vertx = Vertx.vertx();
    Database db = await(Database.open(vertx, new Database.Target(Database.Engine.POSTGRESQL, url, PostgresServer.USER, pg.password(), 8, url)));
    JdbcScanStore store = new JdbcScanStore(db, new Retention(Duration.ofHours(1), true, "bench"));
    String owner = "a".repeat(64);
    long base = System.currentTimeMillis() - 3_600_000;
    List<Future<Void>> saves = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      JsonObject r = new JsonObject().put("id", "scan-" + i).put("status", "completed").put("project", "p" + (i % 50))
          .put("createdAt", Instant.ofEpochMilli(base + i * 100L).toString()).put("finishedAt", Instant.ofEpochMilli(base + i * 100L + 50).toString())
          .put("source", new JsonObject().put("kind", "git").put("name", "https://github.com/o/r" + i))
          .put("progress", new JsonObject().put("filesTotal", 100).put("filesScanned", 100).put("filesFailed", 0).put("filesSkipped", 3))
          .put("findingsBySeverity", new JsonObject().put("critical", 0).put("high", 2).put("medium", 1).put("low", 0).put("info", 0))
          .put(ScanRecords.OWNER, i % 2 == 0 ? owner : "b".repeat(64)).put(ScanRecords.COORDINATOR_NODE, "n").put(ScanRecords.LAST_SEQ, 10);
      saves.add(store.saveScan(r));
      if (saves.size() == 200) {
        await(Future.all(saves));
        saves.clear();
      }
    }
    await(Future.all(saves));
    await(store.close());
    await(vertx.close());
    Map<String, String> env = pgEnv(url);
    env.put("SCANNER_ADMIN_TOKENS", "admin-token-for-the-bench");
    try (ScannerProcess worker = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(worker.baseUrl(), "admin-token-for-the-bench")) {
      long[] live = new long[50];
      for (int i = 0; i < 20; i++) http.get("/health/live");
      for (int i = 0; i < live.length; i++) {
        long t0 = System.nanoTime();
        http.get("/health/live");
        live[i] = (System.nanoTime() - t0) / 1_000;
      }
      Arrays.sort(live);
      System.out.printf("baseline, GET /health/live (no store): median %.1f ms%n", live[live.length / 2] / 1000.0);
      String[] queries = {"limit=100", "limit=100&project=p7", "limit=100&status=completed", "limit=1000"};
      long firstPageMedianMicros = 0;
      for (String q : queries) {
        for (int i = 0; i < 20; i++) http.get("/api/v1/scans?" + q);
        long[] ms = new long[50];
        String cursor = null;
        for (int i = 0; i < ms.length; i++) {
          long t0 = System.nanoTime();
          var r = http.get("/api/v1/scans?" + q + (cursor == null ? "" : "&cursor=" + cursor));
          ms[i] = (System.nanoTime() - t0) / 1_000;
          assertEquals(200, r.statusCode());
          cursor = r.bodyAsJsonObject().getString("next");
        }
        Arrays.sort(ms);
        System.out.printf("list of 10,000 scans, %s, walking pages: median %.1f ms, p95 %.1f ms (HTTP round trip included)%n", q,
            ms[ms.length / 2] / 1000.0, ms[(int) (ms.length * 0.95)] / 1000.0);
        if (q.equals("limit=100")) firstPageMedianMicros = ms[ms.length / 2];
      }
      assertTrue(firstPageMedianMicros < 50_000, "median time of a page of 100: " + firstPageMedianMicros / 1000.0 + " ms");
    }
  }

  /** On PostgreSQL (asserted) and on the embedded database (reported: H2 keeps B-tree page references on the heap). */
  @Test
  void fourHundredScansOfTwoThousandFindingsKeepTheHeapFlat() throws Exception {
    double postgres = heapGrowth("PostgreSQL", pgEnv(pg.newDatabase("bench_heap")));
    heapGrowth("embedded", Map.of());
    assertTrue(postgres <= 1.5, "heap after GC grew " + postgres + "x from 50 to 400 scans");
  }

  private double heapGrowth(String engine, Map<String, String> env) throws Exception {
    JsonObject submission = findingsScan(2_000);
    try (ScannerProcess worker = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(worker.baseUrl(), null)) {
      String first = null;
      long heapAt50 = 0;
      long t0 = System.nanoTime();
      for (int i = 1; i <= 400; i++) {
        var r = http.postJson("/api/v1/scans", submission);
        assertEquals(202, r.statusCode(), r.bodyAsString());
        String id = r.bodyAsJsonObject().getString("id");
        if (first == null) first = id;
        JsonObject scan = awaitFinal(http, id);
        assertEquals(2000, scan.getJsonObject("findingsBySeverity").getInteger("high"));
        if (i == 50) heapAt50 = heapAfterGc(worker);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long heapAt400 = heapAfterGc(worker);
      var firstFindings = http.get("/api/v1/scans/" + first + "/findings");
      assertEquals(2000, firstFindings.bodyAsJsonObject().getJsonArray("findings").size(), "the first scan is still served whole");
      System.out.printf("400 scans x 2,000 findings on one -Xmx512m worker (%s store) in %.0f s: heap after GC %d MB after 50, "
          + "%d MB after 400 (%.2fx)%n", engine, seconds, heapAt50 >> 20, heapAt400 >> 20, (double) heapAt400 / heapAt50);
      return (double) heapAt400 / heapAt50;
    }
  }

  static JsonObject awaitFinal(Http http, String id) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject scan = http.get("/api/v1/scans/" + id).bodyAsJsonObject();
      if (io.github.cgscanner.domain.ScanStatus.isFinal(scan.getString("status"))) return scan;
      Thread.sleep(50);
    }
    throw new AssertionError("scan " + id + " did not finish");
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  static long heapAfterGc(ScannerProcess scanner) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    String pid = Long.toString(scanner.process().pid());
    run(jcmd, pid, "GC.run");
    Matcher m = USED.matcher(run(jcmd, pid, "GC.heap_info"));
    assertTrue(m.find(), "no heap figure from jcmd");
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return out;
  }
}
