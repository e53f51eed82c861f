package io.github.cgscanner.benchmark;

import io.github.cgscanner.benchmark.ExpectedResults.TestCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The benchmark scorer's arithmetic: a test case is detected when some result in its file has a CWE that
 * {@link Categories#counts counts} for it; per category TPR = TP / (TP + FN), FPR = FP / (FP + TN) (0
 * when undefined), score = TPR − FPR; overall TPR, FPR and score are the plain averages over the
 * categories, so a small category weighs as much as a large one.
 */
public record Scorecard(List<Row> rows) {

  public record Row(String category, int cwe, int tp, int fn, int fp, int tn) {
    public int cases() {
      return tp + fn + fp + tn;
    }

    public double tpr() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    public double fpr() {
      return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
    }

    public double score() {
      return tpr() - fpr();
    }
  }

  /** @param reported per test case name, the CWE numbers of the findings in its file */
  public static Scorecard of(List<TestCase> cases, Map<String, Set<Integer>> reported) {
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, Integer> cwes = new TreeMap<>();
    for (TestCase c : cases) {
      boolean detected = reported.getOrDefault(c.name(), Set.of()).stream().anyMatch(r -> Categories.counts(r, c.cwe()));
      int[] n = counts.computeIfAbsent(c.category(), k -> new int[4]);
      cwes.putIfAbsent(c.category(), c.cwe());
      n[c.real() ? (detected ? 0 : 1) : (detected ? 2 : 3)]++;
    }
    List<Row> rows = new ArrayList<>();
    counts.forEach((cat, n) -> rows.add(new Row(cat, cwes.get(cat), n[0], n[1], n[2], n[3])));
    return new Scorecard(List.copyOf(rows));
  }

  public double tpr() {
    return rows.stream().mapToDouble(Row::tpr).average().orElse(0);
  }

  public double fpr() {
    return rows.stream().mapToDouble(Row::fpr).average().orElse(0);
  }

  public double score() {
    return tpr() - fpr();
  }

  public int cases() {
    return rows.stream().mapToInt(Row::cases).sum();
  }

  /** The table the benchmark's scorecard shows, in percent, one category a line, then the overall line. */
  public String render() {
    StringBuilder out = new StringBuilder();
    String head = "%-26s %5s %6s %5s %5s %5s %5s %7s %7s %7s%n";
    out.append(String.format(Locale.ROOT, head, "category", "CWE", "cases", "TP", "FN", "FP", "TN", "TPR", "FPR", "score"));
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "%-26s %5d %6d %5d %5d %5d %5d %6.1f%% %6.1f%% %7.1f%n",
          Categories.displayName(r.category()), r.cwe(), r.cases(), r.tp(), r.fn(), r.fp(), r.tn(),
          100 * r.tpr(), 100 * r.fpr(), 100 * r.score()));
    }
    out.append(String.format(Locale.ROOT, "%-33s %6d %23s %6.1f%% %6.1f%% %7.1f%n",
        "overall (average of " + rows.size() + ")", cases(), "", 100 * tpr(), 100 * fpr(), 100 * score()));
    return out.toString();
  }
}
