package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review cache against its targets (issue 16), on a 1,000-file repository of realistic sizes with
 * the default chunk budget, 4 keys at 60 RPM each and 2 s ± 20% latency (the simulator in its own JVM,
 * the real jar as {@code serve --no-cluster}): an unchanged re-scan makes no model request in under 10%
 * of the first scan's time; one changed file costs at most 2 requests in at most 15%; a cold scan with
 * the cache on is within 5% of one with it off (each in a fresh process, alternated, means compared).
 * Wall times run from submission to the {@code done} event. Run: {@code mvn -B -Pbench verify
 * -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ReviewCacheBenchIT}.
 */
class ReviewCacheBenchIT {
  static final int FILES = 1_000;
  static final List<String> KEYS = List.of("sk-bench-cache-0-000000000000", "sk-bench-cache-1-111111111111",
      "sk-bench-cache-2-222222222222", "sk-bench-cache-3-333333333333");

  @TempDir static Path tmp;

  private final List<String> targets = new ArrayList<>();
  private boolean allPass = true;

  record Run(double seconds, long requests, long chunks, long cached, double savedUsd) {}

  @Test
  void anUnchangedFileIsNeverPaidForTwice() throws Exception {
    Map<String, String> files = repository(FILES, 16);
    Path original = zip(files, tmp.resolve("original.zip"));
    String changedPath = files.keySet().stream().skip(FILES / 2).findFirst().orElseThrow();
    Map<String, String> edited = new TreeMap<>(files);
    edited.put(changedPath, "        int added = count * 2; // a change\n" + files.get(changedPath));
    Path changed = zip(edited, tmp.resolve("changed.zip"));

    List<String> flags = List.of("--keys", String.join(",", KEYS), "--rpm", "60", "--latency-ms", "2000", "--jitter", "0.2",
        "--burst-seconds", "1", "--seed", "7");
    Run cold;
    Run warm;
    Run oneChanged;
    List<Double> coldOn = new ArrayList<>();
    List<Double> coldOff = new ArrayList<>();
    try (SimProcess sim = SimProcess.start(flags)) {
      try (ScannerProcess scanner = serve(sim, true); Http http = new Http(scanner.baseUrl(), null)) {
        cold = scan(http, original, sim);
        warm = scan(http, original, sim);
        oneChanged = scan(http, changed, sim);
      }
      // Cold scans alternate on, off, on, off, each in a fresh process: drift on a shared machine hits both.
      coldOn.add(cold.seconds());
      coldOff.add(coldScan(sim, original, false));
      coldOn.add(coldScan(sim, original, true));
      coldOff.add(coldScan(sim, original, false));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-28s %9s %9s %8s %8s %10s%n", "scan of 1,000 files", "wall s", "requests", "chunks", "cached",
        "saved $");
    for (var e : Map.of("1 cold (cache on)", cold, "2 unchanged", warm, "3 one file changed", oneChanged).entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      Run r = e.getValue();
      System.out.printf(Locale.ROOT, "%-28s %9.1f %9d %8d %8d %10.4f%n", e.getKey(), r.seconds(), r.requests(), r.chunks(), r.cached(),
          r.savedUsd());
    }
    System.out.printf(Locale.ROOT, "cold scans, cache on: %s s; cache off: %s s%n", coldOn, coldOff);

    double warmShare = warm.seconds() / cold.seconds();
    double changedShare = oneChanged.seconds() / cold.seconds();
    double onOff = mean(coldOn) / mean(coldOff);
    target("unchanged re-scan: 0 model requests", warm.requests() == 0, warm.requests() + " requests");
    target("unchanged re-scan: wall time < 10% of the first", warmShare < 0.10, pct(warmShare));
    target("one changed file: <= 2 requests", oneChanged.requests() <= 2, oneChanged.requests() + " requests");
    target("one changed file: wall time <= 15% of the first", changedShare <= 0.15, pct(changedShare));
    target("cold scan, cache on vs off: at most 5% slower", onOff <= 1.05, String.format(Locale.ROOT, "%.3fx", onOff));
    System.out.println();
    System.out.println("=== ReviewCacheBenchIT targets ===");
    targets.forEach(System.out::println);
    assertTrue(allPass, "some targets failed:\n" + String.join("\n", targets));
  }

  /** Java files from 5 to 400 lines (log-normal, median 40), in 25 directories; every seventh has a planted finding. */
  static Map<String, String> repository(int files, long seed) {
    Random random = new Random(seed);
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < files; i++) {
      int lines = (int) Math.min(400, Math.max(5, Math.exp(Math.log(40) + 0.8 * random.nextGaussian())));
      int planted = i % 7 == 0 ? 1 + random.nextInt(lines) : -1;
      StringBuilder sb = new StringBuilder();
      for (int n = 1; n <= lines; n++) {
        sb.append(n == planted ? BenchRepo.VULNERABLE : "        int total" + n + " = count + " + random.nextInt(1000) + "; // step " + n)
            .append('\n');
      }
      out.put("src/m" + random.nextInt(25) + "/File" + i + ".java", sb.toString());
    }
    return out;
  }

  static Path zip(Map<String, String> files, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target); ZipOutputStream z = new ZipOutputStream(out)) {
      for (var e : files.entrySet()) {
        z.putNextEntry(new ZipEntry("repo-main/" + e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return target;
  }

  private static double coldScan(SimProcess sim, Path zip, boolean cache) throws Exception {
    try (ScannerProcess scanner = serve(sim, cache); Http http = new Http(scanner.baseUrl(), null)) {
      return scan(http, zip, sim).seconds();
    }
  }

  private static Run scan(Http http, Path zip, SimProcess sim) throws Exception {
    long before = requests(sim);
    long started = System.nanoTime();
    var submitted = http.postFile("/api/v1/scans", "application/zip", zip);
    if (submitted.statusCode() != 202) throw new IllegalStateException("submit: " + submitted.bodyAsString());
    Http.SseResult sse = http.events(submitted.bodyAsJsonObject().getString("id"), null, 900);
    double seconds = (System.nanoTime() - started) / 1e9;
    SseEvent done = sse.events().get(sse.events().size() - 1);
    JsonObject scan = new JsonObject(done.data());
    if (!"completed".equals(scan.getString("status")) || !"done".equals(scan.getString("modelReview"))) {
      throw new IllegalStateException("the scan did not complete: " + scan.encode());
    }
    JsonObject usage = scan.getJsonObject("usage");
    return new Run(seconds, requests(sim) - before, usage.getLong("reviewedChunks"), usage.getLong("cachedReviews"),
        usage.getDouble("savedCostUsd"));
  }

  private static long requests(SimProcess sim) throws Exception {
    JsonObject r = sim.stats().getJsonObject("requests");
    return r.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }

  private static ScannerProcess serve(SimProcess sim, boolean cache) throws Exception {
    Path config = Files.createTempFile(tmp, "bench", ".json");
    Files.writeString(config, new JsonObject()
        .put("model", new JsonObject().put("requestTimeout", "30s"))
        .put("log", new JsonObject().put("level", "warn"))
        .encode());
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl(), "SCANNER_REVIEW_CACHE_TTL", cache ? "30d" : "0");
    for (int i = 0; i < KEYS.size(); i++) env.put(i == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + i, KEYS.get(i));
    return ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
  }

  private void target(String name, boolean pass, String figure) {
    allPass &= pass;
    targets.add((pass ? "PASS " : "FAIL ") + name + ": " + figure);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
