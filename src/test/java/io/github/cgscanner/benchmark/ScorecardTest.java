package io.github.cgscanner.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.benchmark.ExpectedResults.TestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorecardTest {
  @TempDir Path tmp;

  private static TestCase c(int n, String category, boolean real, int cwe) {
    return new TestCase(String.format("BenchmarkTest%05d", n), n, category, real, cwe);
  }

  @Test
  void scoresLikeTheBenchmarksScorer() {
    List<TestCase> cases = List.of(
        c(1, "sqli", true, 89), c(2, "sqli", true, 89), c(3, "sqli", true, 89), c(4, "sqli", true, 89),
        c(5, "sqli", false, 89), c(6, "sqli", false, 89),
        c(7, "weakrand", true, 330), c(8, "weakrand", false, 330));
    Map<String, Set<Integer>> reported = Map.of(
        "BenchmarkTest00001", Set.of(89),
        "BenchmarkTest00002", Set.of(564, 79),
        "BenchmarkTest00003", Set.of(79),
        "BenchmarkTest00005", Set.of(89),
        "BenchmarkTest00007", Set.of(338),
        "BenchmarkTest00008", Set.of(89));
    Scorecard card = Scorecard.of(cases, reported);
    Scorecard.Row sqli = card.rows().get(0);
    assertEquals("sqli", sqli.category());
    assertEquals(List.of(2, 2, 1, 1), List.of(sqli.tp(), sqli.fn(), sqli.fp(), sqli.tn()), "another CWE in the file does not count");
    assertEquals(0.5, sqli.tpr(), 1e-9);
    assertEquals(0.5, sqli.fpr(), 1e-9);
    Scorecard.Row rand = card.rows().get(1);
    assertEquals(List.of(1, 0, 0, 1), List.of(rand.tp(), rand.fn(), rand.fp(), rand.tn()), "CWE-338 is weak randomness; 89 is not");
    assertEquals(0.75, card.tpr(), 1e-9, "the plain average over categories, not over cases");
    assertEquals(0.25, card.fpr(), 1e-9);
    assertEquals(0.5, card.score(), 1e-9);
    String text = card.render();
    assertTrue(text.contains("SQL Injection"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("overall (average of 2)") && l.endsWith("  75.0%   25.0%    50.0")), text);
  }

  @Test
  void emptyRatesAreZeroAsInTheScorer() {
    Scorecard card = Scorecard.of(List.of(c(1, "xss", true, 79)), Map.of());
    assertEquals(0, card.rows().get(0).fpr());
    assertEquals(0, card.score());
  }

  @Test
  void mappedCwesStayWithinTheirCategory() {
    assertTrue(Categories.counts(23, 22));
    assertTrue(Categories.counts(326, 327));
    assertFalse(Categories.counts(1004, 614), "HttpOnly is not the Secure flag");
    assertFalse(Categories.counts(327, 328), "a weak cipher is not a weak hash");
    assertFalse(Categories.counts(328, 327));
    assertEquals(89, Categories.number("CWE-89"));
    assertEquals(-1, Categories.number(null));
    assertEquals(-1, Categories.number("89"));
  }

  @Test
  void readsExpectedResultsAndSelectsCasesByNumber() throws Exception {
    Path csv = tmp.resolve("expectedresults-1.2.csv");
    Files.writeString(csv, "# test name, category, real vulnerability, cwe, Benchmark version: 1.2, 2016-06-1\n"
        + "BenchmarkTest00005,hash,true,328\nBenchmarkTest00006,hash,false,328\r\nBenchmarkTest00010,sqli,TRUE,89\n");
    List<TestCase> all = ExpectedResults.read(csv);
    assertEquals(List.of(5, 6, 10), all.stream().map(TestCase::number).toList());
    assertTrue(all.get(2).real());
    assertEquals(List.of(5, 10), CaseSelection.DIVISIBLE_BY_5.select(all).stream().map(TestCase::number).toList());
    assertEquals(List.of(6), CaseSelection.OTHERS.select(all).stream().map(TestCase::number).toList());
    assertEquals(3, CaseSelection.parse("all").select(all).size());
    assertThrows(IllegalArgumentException.class, () -> CaseSelection.parse("odd"));

    Files.writeString(csv, "BenchmarkTest00001,sqli,maybe,89\n");
    var e = assertThrows(IllegalArgumentException.class, () -> ExpectedResults.read(csv));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    Files.writeString(csv, "BenchmarkTest00001,sqli,true,89\nBenchmarkTest00001,sqli,true,89\n");
    assertThrows(IllegalArgumentException.class, () -> ExpectedResults.read(csv));
  }

  @Test
  void findsEachTestCasesSourceAndTheConfiguration() throws Exception {
    Path code = Files.createDirectories(tmp.resolve("src/main/java/org/example/testcode"));
    Files.writeString(code.resolve("BenchmarkTest00001.java"), "class A {}");
    Files.writeString(code.resolve("Helper.java"), "class H {}");
    Files.createDirectories(tmp.resolve("src/main/resources"));
    Files.writeString(tmp.resolve("src/main/resources/app.properties"), "a=b\n");
    Files.createDirectories(tmp.resolve("target/classes"));
    Files.writeString(tmp.resolve("target/classes/BenchmarkTest00001.java"), "class Copy {}");
    BenchmarkLayout.Sources s = BenchmarkLayout.sources(tmp, Set.of("BenchmarkTest00001"));
    assertEquals(Map.of("BenchmarkTest00001", "src/main/java/org/example/testcode/BenchmarkTest00001.java"), s.tests());
    assertEquals(List.of("src/main/resources/app.properties"), s.config());
    var missing = assertThrows(IllegalArgumentException.class, () -> BenchmarkLayout.sources(tmp, Set.of("BenchmarkTest00002")));
    assertTrue(missing.getMessage().contains("BenchmarkTest00002.java"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BenchmarkLayout.expectedResults(tmp));
  }
}
