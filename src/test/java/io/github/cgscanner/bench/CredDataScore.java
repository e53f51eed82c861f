package io.github.cgscanner.bench;

import io.github.cgscanner.bench.CredData.Label;
import io.github.cgscanner.bench.CredData.LabelledFile;
import io.github.cgscanner.rules.secrets.SecretMatch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Line-level scoring as CredData counts: a finding whose lines overlap a line range labelled true finds
 * that label; a finding on lines labelled false, or on lines CredData did not label at all, is a false
 * positive (one per file and line, however many findings share it); lines labelled X (unknown, template)
 * are left out, neither found nor false.
 */
final class CredDataScore {
  static final String UNLABELLED = "(unlabelled)";

  static final class Tally {
    int labelled;
    int found;
    int falsePositives;

    double recall() {
      return labelled == 0 ? 1 : (double) found / labelled;
    }

    double precision() {
      return found + falsePositives == 0 ? 1 : (double) found / (found + falsePositives);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  final Tally overall = new Tally();
  final Map<String, Tally> byCategory = new TreeMap<>();
  /** What the detector called the findings that found a label, and the ones that were false. */
  final Map<String, int[]> byType = new TreeMap<>();
  final List<String> misses = new ArrayList<>();

  void add(LabelledFile file, List<SecretMatch> findings) {
    Map<Label, Boolean> found = new IdentityHashMap<>();
    Set<Integer> falseLines = new HashSet<>();
    for (SecretMatch m : findings) {
      List<Label> hit = file.labels().stream().filter(l -> l.overlaps(m.line(), m.endLine())).toList();
      List<Label> truths = hit.stream().filter(l -> l.truth().equals("T")).toList();
      if (!truths.isEmpty()) {
        truths.forEach(l -> found.put(l, true));
        byType.computeIfAbsent(m.type(), k -> new int[2])[0]++;
      } else if (hit.stream().noneMatch(l -> l.truth().equals("X")) && falseLines.add(m.line())) {
        byType.computeIfAbsent(m.type(), k -> new int[2])[1]++;
        overall.falsePositives++;
        List<String> categories = hit.isEmpty() ? List.of(UNLABELLED)
            : hit.stream().flatMap(l -> l.categories().stream()).distinct().toList();
        categories.forEach(c -> tally(c).falsePositives++);
        misses.add("FP " + file.repo() + " " + file.path() + ":" + m.line() + " " + m.type() + " " + categories);
      }
    }
    for (Label l : file.labels()) {
      if (!l.truth().equals("T")) continue;
      boolean hit = found.containsKey(l);
      overall.labelled++;
      if (hit) overall.found++;
      for (String c : l.categories()) {
        tally(c).labelled++;
        if (hit) tally(c).found++;
      }
      if (!hit) misses.add("FN " + file.repo() + " " + file.path() + ":" + l.lineStart() + " " + l.categories());
    }
  }

  private Tally tally(String category) {
    return byCategory.computeIfAbsent(category, k -> new Tally());
  }

  void print(PrintStream out) {
    out.printf("%-32s %8s %6s %6s %6s %7s %9s %6s%n", "category", "labelled", "found", "missed", "FP", "recall",
        "precision", "F1");
    byCategory.forEach((c, t) -> row(out, c, t));
    row(out, "OVERALL", overall);
    out.println();
    out.printf("%-28s %7s %7s%n", "finding type", "true", "false");
    byType.forEach((type, n) -> out.printf("%-28s %7d %7d%n", type, n[0], n[1]));
  }

  private static void row(PrintStream out, String name, Tally t) {
    out.printf("%-32s %8d %6d %6d %6d %7s %9s %6s%n", name, t.labelled, t.found, t.labelled - t.found,
        t.falsePositives, t.labelled == 0 ? "-" : String.format("%.3f", t.recall()),
        t.found + t.falsePositives == 0 ? "-" : String.format("%.3f", t.precision()),
        t.labelled == 0 ? "-" : String.format("%.3f", t.f1()));
  }
}
