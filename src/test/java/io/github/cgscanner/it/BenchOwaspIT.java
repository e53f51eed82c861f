package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.BenchmarkStandIn.Case;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar … bench owasp} on a generated stand-in for OWASP Benchmark: the scorecard it prints is
 * the one that follows from how each case was built, with the simulated model and with local checks only.
 */
class BenchOwaspIT {
  private static final String KEY = "sk-test-bench-key-0000000000000";

  @TempDir Path tmp;

  private ScannerProcess.Result bench(Map<String, String> env, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "owasp";
    System.arraycopy(args, 0, all, 2, args.length);
    return ScannerProcess.run(tmp, env, Duration.ofMinutes(2), all);
  }

  @Test
  void withTheModelEveryCategoryIsScoredAsTheBenchmarksScorerWould() throws Exception {
    Path dir = tmp.resolve("benchmark");
    BenchmarkStandIn.write(dir);
    Vertx vertx = Vertx.vertx();
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEY).latency(10, 0.2).build());
    Http.await(sim.start(), 10);
    try {
      var result = bench(Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", sim.baseUrl()),
          "--benchmark-dir", dir.toString(), "--no-progress");
      assertEquals(0, result.exitCode(), result.stderr());
      // The verification pass is on (high, the default): one scorecard with every finding, one without those it rejected.
      String[] cards = result.stdout().split("\n\n");
      assertEquals(2, cards.length, result.stdout());
      assertTrue(cards[0].contains("every finding, before verification"), cards[0]);
      assertScorecard(cards[0], c -> true, Case::withModel);
      assertTrue(cards[1].contains("after verification (high): 1 rejected finding(s) left out, 0 not verified"), cards[1]);
      assertScorecard(cards[1], c -> true, Case::verified);
      for (String card : cards) {
        assertTrue(card.matches("(?s).*usage: [1-9]\\d* requests, [1-9]\\d* prompt tokens.*"), card);
        assertTrue(card.contains("local checks and model"), card);
      }
      assertTrue(requests(cards[1]) > requests(cards[0]), "the second card counts the verification's requests too");
    } finally {
      Http.await(sim.close(), 10);
      Http.await(vertx.close(), 10);
    }
  }

  @Test
  void withoutAKeyOnlyTheSelectedCasesAreScoredOnTheLocalChecks() throws Exception {
    Path dir = tmp.resolve("benchmark");
    BenchmarkStandIn.write(dir);
    var result = bench(Map.of(), "--benchmark-dir", dir.toString(), "--cases", "divisible-by-5");
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stderr().contains("model review skipped"), result.stderr());
    assertScorecard(result.stdout(), c -> c.number() % 5 == 0, Case::local);
    assertTrue(result.stdout().contains("usage: 0 requests"), result.stdout());
  }

  @Test
  void badUsageExitsTwoWithOneLine() throws Exception {
    var missing = bench(Map.of(), "--benchmark-dir", tmp.resolve("nope").toString());
    assertEquals(2, missing.exitCode());
    assertEquals(1, missing.stderr().strip().lines().count(), missing.stderr());
    var notABenchmark = bench(Map.of(), "--benchmark-dir", tmp.toString());
    assertEquals(2, notABenchmark.exitCode());
    assertTrue(notABenchmark.stderr().contains("expectedresults"), notABenchmark.stderr());
    assertEquals(2, bench(Map.of(), "--benchmark-dir", tmp.toString(), "--cases", "odd").exitCode());
  }

  private static long requests(String card) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("usage: (\\d+) requests").matcher(card);
    assertTrue(m.find(), card);
    return Long.parseLong(m.group(1));
  }

  /** Every category's row and the overall line, against the counts the cases were built to produce. */
  private static void assertScorecard(String out, Predicate<Case> selected, Predicate<Case> detected) {
    Map<String, int[]> expected = new TreeMap<>();
    for (Case c : BenchmarkStandIn.CASES) {
      if (!selected.test(c)) continue;
      int[] n = expected.computeIfAbsent(c.category(), k -> new int[4]);
      n[c.real() ? (detected.test(c) ? 0 : 1) : (detected.test(c) ? 2 : 3)]++;
    }
    Map<String, String> names = Map.of("sqli", "SQL Injection", "weakrand", "Weak Random Number",
        "hash", "Weak Hashing Algorithm", "securecookie", "Insecure Cookie");
    double tpr = 0;
    double fpr = 0;
    for (var e : expected.entrySet()) {
      int[] n = e.getValue();
      String row = out.lines().filter(l -> l.startsWith(names.get(e.getKey()) + " ")).findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + e.getKey() + " in:\n" + out));
      List<String> cells = Arrays.asList(row.trim().split("\\s+"));
      List<String> counts = cells.subList(cells.size() - 7, cells.size() - 3);
      assertEquals(List.of(n[0], n[1], n[2], n[3]).toString(), counts.stream().map(Integer::valueOf).toList().toString(),
          e.getKey() + " TP FN FP TN in:\n" + out);
      tpr += n[0] + n[1] == 0 ? 0 : (double) n[0] / (n[0] + n[1]);
      fpr += n[2] + n[3] == 0 ? 0 : (double) n[2] / (n[2] + n[3]);
    }
    assertEquals(expected.size(), out.lines().filter(l -> names.values().stream().anyMatch(l::startsWith)).count(), out);
    String overall = out.lines().filter(l -> l.startsWith("overall")).findFirst().orElseThrow(() -> new AssertionError(out));
    String[] cells = overall.trim().split("\\s+");
    double score = 100 * (tpr - fpr) / expected.size();
    assertEquals(score, Double.parseDouble(cells[cells.length - 1]), 0.051, overall);
    assertTrue(expected.size() >= 3 && score > 0 && score < 100, "the stand-in must exercise misses and false alarms too");
  }
}
