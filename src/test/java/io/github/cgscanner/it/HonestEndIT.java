package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, as a new user runs it, where a security tool must not fail open: a review that did not
 * happen never says {@code completed}, cancelled work leaves nothing behind, and history does not grow
 * the heap without bound.
 */
class HonestEndIT {
  static final String[] KEYS = EndToEndIT.KEYS;

  @TempDir static Path tmp;
  static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(vertx.close(), 10);
  }

  @Test
  void aReviewWhereEveryRequestFailedIsAFailedScanAndNoSuccessfulRun() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(5, 0)
        .faults(new SimulatorOptions.Faults(1.0, 0, 0, 0, 0, 0, 0)).build());
    Http.await(sim.start(), 10);
    TestRepo generated = TestRepo.generate(tmp.resolve("repo-500"), 12, 7);
    Path repo = generated.root;
    Path zip = generated.zip(tmp.resolve("500.zip"));
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("SCANNER_LOG_LEVEL", "warn");
    // Two attempts per chunk instead of six: the same outcome, sooner.
    Path config = tmp.resolve("two-attempts.json");
    Files.writeString(config, new JsonObject().put("scan", new JsonObject().put("maxAttempts", 2)).encode());
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      String id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      JsonObject scan = ApiAssert.awaitFinal(http, id, 240);
      assertEquals("failed", scan.getString("status"), scan.encodePrettily());
      assertEquals("review_failed", scan.getJsonObject("error").getString("code"));
      JsonObject progress = scan.getJsonObject("progress");
      assertEquals(0, progress.getInteger("filesScanned"));
      assertEquals(progress.getInteger("filesTotal"), progress.getInteger("filesFailed"));
      JsonObject invocation = http.get("/api/v1/scans/" + id + "/report.sarif").bodyAsJsonObject()
          .getJsonArray("runs").getJsonObject(0).getJsonArray("invocations").getJsonObject(0);
      assertFalse(invocation.getBoolean("executionSuccessful"));
      long notReviewed = invocation.getJsonArray("toolExecutionNotifications").stream()
          .filter(n -> ((JsonObject) n).getJsonObject("message").getString("text").startsWith("Not reviewed: ")).count();
      assertEquals(progress.getInteger("filesTotal").longValue(), notReviewed, "every failed file is listed");
    }
    for (String allowPartial : new String[] {"--no-progress", "--allow-partial"}) {
      var cli = ScannerProcess.run(tmp, env, Duration.ofMinutes(4), "scan", repo.toString(), "--format", "json", allowPartial,
          "--config", config.toString());
      assertEquals(3, cli.exitCode(), allowPartial + ": " + cli.stderr());
      assertTrue(cli.stderr().contains("review_failed"), cli.stderr());
    }
  }

  @Test
  void anUnknownModelFailsFastModelUnavailable() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(5, 0).build());
    Http.await(sim.start(), 10);
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("OPENAI_MODEL", "gpt-no-such-model");
    Path zip = TestRepo.generate(tmp.resolve("repo-404"), 30, 8).zip(tmp.resolve("404.zip"));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
      long started = System.nanoTime();
      String id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
      JsonObject scan = ApiAssert.awaitFinal(http, id, 60);
      assertEquals("failed", scan.getString("status"), scan.encodePrettily());
      assertEquals("model_unavailable", scan.getJsonObject("error").getString("code"));
      assertTrue((System.nanoTime() - started) / 1e9 < 30, "it fails fast instead of retrying to the end");
      long requests = sim.stats().getJsonObject("requests").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
      assertTrue(requests <= KEYS.length * 16L, "a few requests per key, not every chunk retried: " + requests);
    }
  }

  @Test
  void cancelledUploadsLeaveNoFileAndTheWorkerStaysUsable() throws Exception {
    Path zip = tmp.resolve("many.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (int i = 0; i < 20_000; i++) {
        out.putNextEntry(new ZipEntry("repo/src/m" + (i % 100) + "/F" + i + ".java"));
        out.write(("class F" + i + " { int x = " + i + "; }\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Map<String, String> env = ScannerProcess.env("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + scratch);
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
      for (int i = 0; i < 5; i++) {
        String id = ApiAssert.accepted(http.postFile("/api/v1/scans", "application/zip", zip));
        Thread.sleep(300);
        var cancelled = http.delete("/api/v1/scans/" + id);
        assertTrue(cancelled.statusCode() == 200 || cancelled.statusCode() == 409, cancelled.bodyAsString());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<Path> left = leftovers(scratch);
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(250);
        left = leftovers(scratch);
      }
      assertEquals(List.of(), left, "extracted files or uploads left behind");
      String small = ApiAssert.accepted(http.postJson("/api/v1/scans", new JsonObject().put("source", new JsonObject()
          .put("files", new JsonArray().add(new JsonObject().put("path", "a.py").put("content", "eval(x)\n"))))));
      assertEquals("completed", ApiAssert.awaitFinal(http, small, 30).getString("status"));
    }
  }

  /** Every file under the worker's scratch directories but their lock files. */
  private static List<Path> leftovers(Path scratch) throws IOException {
    try (Stream<Path> all = Files.walk(scratch)) {
      return all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock"))
          .filter(p -> !p.getFileName().toString().startsWith("hsperf")).toList();
    } catch (java.io.UncheckedIOException deletedWhileWalked) {
      // The worker is deleting a workspace as it is walked: not settled yet, look again.
      return List.of(scratch);
    }
  }

  @Test
  void theMemoryStoreKeepsItsBoundByEvictingWholeFinishedScansOldestFirst() throws Exception {
    Path config = tmp.resolve("bounded.json");
    Files.writeString(config, new JsonObject().put("store", new JsonObject().put("kind", "memory").put("maxScansInMemory", 20))
        .encode());
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 2000; i++) code.append("eval(input").append(i).append(");\n");
    JsonObject submission = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
        .add(new JsonObject().put("path", "app/gen.js").put("content", code.toString()))));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, Map.of(), "--no-cluster", "--config", config.toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      List<String> ids = new ArrayList<>();
      long heapAt20 = 0;
      for (int i = 0; i < 60; i++) {
        String id = ApiAssert.accepted(http.postJson("/api/v1/scans", submission));
        JsonObject scan = ApiAssert.awaitFinal(http, id, 60);
        assertEquals(2000, scan.getJsonObject("findingsBySeverity").getInteger("high"), scan.encode());
        ids.add(id);
        if (i == 19) {
          awaitListed(http, 20);
          heapAt20 = heapAfterGc(scanner);
        }
      }
      awaitListed(http, 20);
      long heapAt60 = heapAfterGc(scanner);
      for (int i = 0; i < 40; i++) {
        assertEquals(404, http.get("/api/v1/scans/" + ids.get(i)).statusCode(), "scan " + i + " was evicted");
        assertEquals(404, http.get("/api/v1/scans/" + ids.get(i) + "/findings").statusCode());
      }
      var newest = http.get("/api/v1/scans/" + ids.get(59) + "/findings");
      assertEquals(2000, newest.bodyAsJsonObject().getJsonArray("findings").size(), "the newest is whole");
      System.out.printf("memory store: heap after GC %d MB with 20 scans kept, %d MB after 60 submitted (bound 20)%n",
          heapAt20 >> 20, heapAt60 >> 20);
      assertTrue(heapAt60 < heapAt20 * 3 / 2, "the heap grows with history: " + heapAt20 + " -> " + heapAt60);
    }
  }

  private static void awaitListed(Http http, int max) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int listed;
    do {
      listed = http.get("/api/v1/scans").bodyAsJsonObject().getJsonArray("scans").size();
      if (listed <= max) return;
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(listed + " scans still listed; the bound is " + max);
  }

  static long heapAfterGc(ScannerProcess scanner) throws Exception {
    return Heap.afterGc(scanner);
  }

}
