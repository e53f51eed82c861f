package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key pool against its bound (issue 3). Each configuration starts the simulator in its own JVM
 * (per-key or per-group RPM, 2 s ± 20% latency, a one-second burst) and the real jar as
 * {@code serve --no-cluster}, submits a generated repository sized for at least 60 s of steady state,
 * and compares the measured time with the fastest the limits allow for the requests actually admitted:
 * (admitted − burst) ÷ rate + one latency. Prints a table and a PASS/FAIL line per target, then fails
 * if any target failed. Run: {@code mvn -B -Pbench verify -Dtest=NoSuchTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KeyPoolBenchIT}.
 */
class KeyPoolBenchIT {
  static final long LATENCY_MS = 2_000;
  static final long RPM = 600;
  static final int LINES_PER_FILE = 24;
  /** Files one key at 600 RPM reviews in about 75 s: one file is one request. */
  static final int FILES_PER_KEY = 750;

  @TempDir static Path tmp;

  record Config(String name, int keys, int files, long rpmPerKey, long groupRpm, boolean headers, int maxInFlight) {
    long rateBound() {
      return groupRpm > 0 ? groupRpm : rpmPerKey * keys;
    }
  }

  /**
   * {@code seconds} from submission to the done event; {@code modelSeconds} from the first model request
   * to the done event: preparation (upload, selection, local checks, chunking) happens before any
   * request and is no work of the key pool, so pool efficiency and scaling are taken over the model phase.
   */
  record Run(Config config, double seconds, double modelSeconds, long requests, long admitted, long refused,
      double refusedLateShare, double fastest, String integrity, boolean intact, JsonObject budgets) {
    double efficiency() {
      return fastest / modelSeconds;
    }

    double endToEndEfficiency() {
      return fastest / seconds;
    }

    double filesPerSecond() {
      return config.files() / seconds;
    }

    double modelFilesPerSecond() {
      return config.files() / modelSeconds;
    }
  }

  private final List<String> targets = new ArrayList<>();
  private boolean allPass = true;

  @Test
  void keyPoolRunsCloseToTheLimitsAndNeverPastThem() throws Exception {
    List<Run> runs = new ArrayList<>();
    Run one = measure(new Config("1 key, headers", 1, FILES_PER_KEY, RPM, 0, true, 64));
    runs.add(one);
    Run two = measure(new Config("2 keys, headers", 2, 2 * FILES_PER_KEY, RPM, 0, true, 64));
    runs.add(two);
    Run four = measure(new Config("4 keys, headers", 4, 4 * FILES_PER_KEY, RPM, 0, true, 64));
    runs.add(four);
    Run group = measure(new Config("4 keys, 1 group, 1200 RPM", 4, 2 * FILES_PER_KEY, RPM, 2 * RPM, true, 64));
    runs.add(group);
    Run noHeaders = measure(new Config("4 keys, no headers", 4, 4 * FILES_PER_KEY, RPM, 0, false, 64));
    runs.add(noHeaders);
    Run naive = measure(new Config("naive: 1 in flight, 1 key", 1, 36, RPM, 0, true, 1));
    runs.add(naive);

    printTable(runs);
    for (Run r : List.of(one, two, four)) {
      target(r.config().name() + ": efficiency >= 0.90", r.efficiency() >= 0.90,
          fmt(r.efficiency()) + " (end to end " + fmt(r.endToEndEfficiency()) + ")");
      target(r.config().name() + ": 429s after 60 s < 2%", r.refusedLateShare() < 0.02, pct(r.refusedLateShare()));
    }
    target("4 keys, 1 group: 429s after 60 s < 2%", group.refusedLateShare() < 0.02, pct(group.refusedLateShare()));
    JsonObject g = group.budgets().getJsonObject("bench");
    boolean groupKept = g.getLong("maxAdmittedPerMinute") <= g.getLong("rpm") + g.getDouble("burstRequests")
        && g.getLong("refused") <= 0.01 * g.getLong("admitted");
    target("4 keys, 1 group: never past the group's limit", groupKept,
        String.format(Locale.ROOT, "max %d admitted in any minute (limit %d + burst %.0f); the group refused %d of %d",
            g.getLong("maxAdmittedPerMinute"), g.getLong("rpm"), g.getDouble("burstRequests"), g.getLong("refused"),
            g.getLong("refused") + g.getLong("admitted")));
    target("no headers: efficiency >= 0.80", noHeaders.efficiency() >= 0.80,
        fmt(noHeaders.efficiency()) + " (end to end " + fmt(noHeaders.endToEndEfficiency()) + ")");
    target("no headers: 429s after 60 s < 5%", noHeaders.refusedLateShare() < 0.05, pct(noHeaders.refusedLateShare()));
    double scaling = four.modelFilesPerSecond() / one.modelFilesPerSecond();
    target("4 keys >= 3.8x one key (files/s of the model phase)", scaling >= 3.8, fmt(scaling) + "x (end to end "
        + fmt(four.filesPerSecond() / one.filesPerSecond()) + "x)");
    double vsNaive = one.modelFilesPerSecond() / naive.modelFilesPerSecond();
    target(">= 10x the naive design (1 key, files/s of the model phase)", vsNaive >= 10, fmt(vsNaive) + "x (end to end "
        + fmt(one.filesPerSecond() / naive.filesPerSecond()) + "x)");
    for (Run r : runs) target(r.config().name() + ": 0 lost or duplicated chunks", r.intact(), r.integrity());

    fairness();
    cpu();

    System.out.println();
    System.out.println("=== KeyPoolBenchIT targets ===");
    targets.forEach(System.out::println);
    assertTrue(allPass, "some targets failed:\n" + String.join("\n", targets));
  }

  private Run measure(Config c) throws Exception {
    List<String> keys = keys(c.keys());
    List<String> flags = new ArrayList<>(List.of("--keys", String.join(",", keys), "--latency-ms", Long.toString(LATENCY_MS),
        "--jitter", "0.2", "--burst-seconds", "1", "--seed", "7"));
    JsonObject limits = new JsonObject();
    if (c.groupRpm() > 0) {
      List<String> aliases = new ArrayList<>();
      for (int i = 0; i < c.keys(); i++) aliases.add("key-" + i);
      flags.addAll(List.of("--group", "bench:" + String.join("+", keys) + ":" + c.groupRpm() + ":0"));
      limits.put("groups", new JsonArray().add(new JsonObject().put("name", "bench").put("keys", new JsonArray(aliases))
          .put("rpm", c.groupRpm())));
    } else {
      flags.addAll(List.of("--rpm", Long.toString(c.rpmPerKey())));
    }
    if (!c.headers()) flags.add("--no-rate-headers");
    BenchRepo repo = BenchRepo.generate(tmp.resolve(slug(c.name()) + ".zip"), "a", c.files(), LINES_PER_FILE, 11);
    try (SimProcess sim = SimProcess.start(flags);
         ScannerProcess scanner = serve(sim, keys, c.maxInFlight(), limits);
         Http http = new Http(scanner.baseUrl(), null)) {
      AtomicReference<JsonObject> at60 = new AtomicReference<>();
      long submittedAt = System.currentTimeMillis();
      long started = System.nanoTime();
      CompletableFuture<Void> snapshot = CompletableFuture.runAsync(() -> {
        try {
          at60.set(sim.stats());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, CompletableFuture.delayedExecutor(60, java.util.concurrent.TimeUnit.SECONDS));
      JsonObject scan = scan(http, repo.zip);
      double seconds = (System.nanoTime() - started) / 1e9;
      long doneAt = System.currentTimeMillis();
      JsonObject end = sim.stats();
      snapshot.cancel(false);
      JsonObject budgets = end.getJsonObject("budgets");
      long admitted = 0;
      long refused = 0;
      double burst = 0;
      for (String b : budgets.fieldNames()) {
        admitted += budgets.getJsonObject(b).getLong("admitted");
        refused += budgets.getJsonObject(b).getLong("refused");
        burst += budgets.getJsonObject(b).getDouble("burstRequests");
      }
      double fastest = Math.max(0, admitted - burst) / (c.rateBound() / 60.0) + LATENCY_MS / 1000.0;
      double lateShare = Double.NaN;
      if (at60.get() != null) {
        long admitted60 = 0;
        long refused60 = 0;
        JsonObject b60 = at60.get().getJsonObject("budgets");
        for (String b : b60.fieldNames()) {
          admitted60 += b60.getJsonObject(b).getLong("admitted");
          refused60 += b60.getJsonObject(b).getLong("refused");
        }
        long lateAll = admitted + refused - admitted60 - refused60;
        lateShare = lateAll == 0 ? 0 : (double) (refused - refused60) / lateAll;
      }
      String integrity = integrity(http, scan, repo, sim.lines());
      long requests = sumValues(end.getJsonObject("requests"));
      System.out.printf(Locale.ROOT, "[bench] %s: %.1f s (first request after %.1f s, done %.1f s after the last answer), "
          + "%d requests (%d admitted, %d refused), budgets %s%n", c.name(), seconds,
          (end.getLong("firstRequestAt") - submittedAt) / 1e3, (doneAt - end.getLong("lastAnswerAt")) / 1e3, requests, admitted,
          refused, budgets.encode());
      double modelSeconds = (doneAt - end.getLong("firstRequestAt")) / 1e3;
      return new Run(c, seconds, modelSeconds, requests, admitted, refused, lateShare, fastest, integrity,
          integrity.startsWith("ok"), budgets);
    }
  }

  /**
   * Two scans on 4 keys: 20 files alone (after a warm-up scan, so the JVM and the keys' learned limits
   * are as they will be beside the big one), then 2,000 files with another 20 submitted 15 s later (the
   * keys are then saturated by the big scan). The small one must finish within 2× its time alone.
   */
  private void fairness() throws Exception {
    List<String> keys = keys(4);
    List<String> flags = List.of("--keys", String.join(",", keys), "--latency-ms", Long.toString(LATENCY_MS), "--jitter", "0.2",
        "--burst-seconds", "1", "--rpm", Long.toString(RPM), "--seed", "9");
    BenchRepo warmUp = BenchRepo.generate(tmp.resolve("warm.zip"), "warm", 20, LINES_PER_FILE, 20);
    BenchRepo small = BenchRepo.generate(tmp.resolve("small.zip"), "small", 20, LINES_PER_FILE, 21);
    BenchRepo small2 = BenchRepo.generate(tmp.resolve("small2.zip"), "small2", 20, LINES_PER_FILE, 22);
    BenchRepo big = BenchRepo.generate(tmp.resolve("big.zip"), "big", 2_000, LINES_PER_FILE, 23);
    try (SimProcess sim = SimProcess.start(flags);
         ScannerProcess scanner = serve(sim, keys, 64, new JsonObject());
         Http http = new Http(scanner.baseUrl(), null)) {
      scan(http, warmUp.zip);
      Thread.sleep(2_000);
      long t0 = System.nanoTime();
      scan(http, small.zip);
      double alone = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(3_000);
      long b0 = System.nanoTime();
      CompletableFuture<JsonObject> bigScan = CompletableFuture.supplyAsync(() -> {
        try {
          return scan(http, big.zip);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(15_000);
      long s0 = System.nanoTime();
      scan(http, small2.zip);
      double beside = (System.nanoTime() - s0) / 1e9;
      JsonObject bigDone = bigScan.get();
      double bigSeconds = (System.nanoTime() - b0) / 1e9;
      String bigIntegrity = bigDone.getString("status");
      System.out.printf(Locale.ROOT, "[bench] fairness: small alone %.1f s, beside 2,000 files %.1f s; big %.1f s (%s)%n",
          alone, beside, bigSeconds, bigIntegrity);
      target("two scans: 20 files beside 2,000 within 2x alone", beside <= 2 * alone,
          String.format(Locale.ROOT, "%.1f s beside vs %.1f s alone (%.2fx); the big one took %.1f s", beside, alone, beside / alone,
              bigSeconds));
      JsonObject lines = sim.lines();
      long expected = warmUp.totalLines() + small.totalLines() + small2.totalLines() + big.totalLines();
      target("two scans: 0 lost or duplicated chunks", lines.getLong("distinct") == expected && lines.getLong("repeated") == 0,
          lines.getLong("distinct") + "/" + expected + " lines answered, " + lines.getLong("repeated") + " more than once");
    }
  }

  /** The scanner's own CPU for the second of two identical scans, without rate limits, per 1,000 selected lines. */
  private void cpu() throws Exception {
    List<String> keys = keys(4);
    List<String> flags = List.of("--keys", String.join(",", keys), "--latency-ms", "100", "--jitter", "0.2", "--seed", "5");
    BenchRepo repo = BenchRepo.generate(tmp.resolve("cpu.zip"), "cpu", 1_000, LINES_PER_FILE, 31);
    try (SimProcess sim = SimProcess.start(flags);
         ScannerProcess scanner = serve(sim, keys, 64, new JsonObject());
         Http http = new Http(scanner.baseUrl(), null)) {
      scan(http, repo.zip);
      Duration before = cpu(scanner);
      long t0 = System.nanoTime();
      scan(http, repo.zip);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuMs = cpu(scanner).minus(before).toNanos() / 1e6;
      double perKLines = cpuMs / (repo.totalLines() / 1000.0);
      System.out.printf(Locale.ROOT, "[bench] cpu: second run of %d files (%d lines) in %.1f s used %.0f ms CPU%n",
          repo.files, repo.totalLines(), seconds, cpuMs);
      targets.add(String.format(Locale.ROOT, "INFO  service CPU per 1,000 selected lines (second run): %.1f ms "
          + "(%d lines, %.0f ms CPU in %.1f s)", perKLines, repo.totalLines(), cpuMs, seconds));
    }
  }

  private static Duration cpu(ScannerProcess scanner) {
    return scanner.process().toHandle().info().totalCpuDuration().orElseThrow();
  }

  private static JsonObject scan(Http http, Path zip) throws Exception {
    var submitted = http.postFile("/api/v1/scans", "application/zip", zip);
    if (submitted.statusCode() != 202) throw new IllegalStateException("submit: " + submitted.bodyAsString());
    String id = submitted.bodyAsJsonObject().getString("id");
    Http.SseResult sse = http.events(id, null, 900);
    SseEvent done = sse.events().get(sse.events().size() - 1);
    if (!"done".equals(done.event())) throw new IllegalStateException("no done event: " + done);
    return new JsonObject(done.data());
  }

  private static String integrity(Http http, JsonObject scan, BenchRepo repo, JsonObject lines) throws Exception {
    if (!"completed".equals(scan.getString("status")) || !scan.getJsonArray("failedFiles").isEmpty()) {
      return "scan " + scan.getString("status") + ", failed files " + scan.getJsonArray("failedFiles").size();
    }
    JsonArray findings = http.get("/api/v1/scans/" + scan.getString("id") + "/findings").bodyAsJsonObject().getJsonArray("findings");
    List<String> model = findings.stream().map(JsonObject.class::cast).filter(f -> "llm".equals(f.getString("source")))
        .map(f -> f.getString("path") + ":" + f.getInteger("startLine")).toList();
    Set<String> planted = new HashSet<>(repo.planted);
    boolean findingsOk = model.size() == planted.size() && planted.equals(new HashSet<>(model));
    boolean linesOk = lines.getLong("distinct") == repo.totalLines() && lines.getLong("repeated") == 0;
    String detail = String.format(Locale.ROOT, "%d/%d lines answered once, %d repeated; %d/%d planted findings",
        lines.getLong("distinct"), repo.totalLines(), lines.getLong("repeated"), model.size(), planted.size());
    return (findingsOk && linesOk ? "ok: " : "BROKEN: ") + detail + (linesOk ? "" : " " + lines.getJsonArray("examples"));
  }

  private static ScannerProcess serve(SimProcess sim, List<String> keys, int maxInFlight, JsonObject limits) throws Exception {
    Path config = Files.createTempFile(tmp, "bench", ".json");
    Files.writeString(config, new JsonObject()
        .put("model", new JsonObject().put("maxChunkTokens", 512).put("maxCompletionTokens", 1024).put("requestTimeout", "30s"))
        .put("keys", new JsonObject().put("maxInFlightPerKey", maxInFlight).put("limits", limits))
        .put("log", new JsonObject().put("level", "warn"))
        .encode());
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl());
    for (int i = 0; i < keys.size(); i++) env.put(i == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + i, keys.get(i));
    return ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
  }

  private static List<String> keys(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) keys.add("sk-bench-key-" + i + "-0123456789abcdef");
    return keys;
  }

  private void target(String name, boolean pass, String figure) {
    allPass &= pass;
    targets.add((pass ? "PASS  " : "FAIL  ") + name + ": " + figure);
  }

  private static void printTable(List<Run> runs) {
    System.out.println();
    System.out.println("=== KeyPoolBenchIT: simulator 2 s ± 20% latency, 1 s burst; files of " + LINES_PER_FILE
        + " lines = 1 request each ===");
    System.out.printf(Locale.ROOT, "%-26s %4s %5s %5s %8s %5s %6s %7s %7s %7s %6s %6s %9s%n", "configuration", "keys", "files",
        "RPM", "requests", "429s", "prep s", "model s", "total s", "files/s", "eff", "e2e", "429s>60s");
    for (Run r : runs) {
      System.out.printf(Locale.ROOT, "%-26s %4d %5d %5d %8d %5d %6.1f %7.1f %7.1f %7.2f %6.3f %6.3f %9s%n", r.config().name(),
          r.config().keys(), r.config().files(), r.config().rateBound(), r.requests(), r.refused(), r.seconds() - r.modelSeconds(),
          r.modelSeconds(), r.seconds(), r.filesPerSecond(), r.efficiency(), r.endToEndEfficiency(),
          Double.isNaN(r.refusedLateShare()) ? "n/a" : pct(r.refusedLateShare()));
    }
    System.out.println("eff = ((admitted - burst) / RPM bound + 2 s) / model s;  e2e = the same over total s (submit to done)");
  }

  private static long sumValues(JsonObject o) {
    long n = 0;
    for (String f : o.fieldNames()) n += o.getLong(f);
    return n;
  }

  private static String slug(String name) {
    return name.replaceAll("[^A-Za-z0-9]+", "-");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", v * 100);
  }
}
