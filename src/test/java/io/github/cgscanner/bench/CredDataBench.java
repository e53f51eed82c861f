package io.github.cgscanner.bench;

import io.github.cgscanner.bench.CredData.LabelledFile;
import io.github.cgscanner.rules.secrets.Confidence;
import io.github.cgscanner.rules.secrets.SecretDetector;
import io.github.cgscanner.rules.secrets.SecretMatch;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The secret detector on Samsung CredData's labelled lines of real repositories: rebuilds the labelled
 * files from local mirrors, runs the detector on each, prints recall, precision and F1 per category and
 * overall, and the throughput of the secrets pass on one core (CPU time of the thread that runs it, so
 * that other processes on a shared machine do not count against it). Arguments: the folder of mirrors (holding
 * {@code Samsung+CredData} and one {@code owner+name} per repository), the file listing the repositories
 * ({@code owner/name} a line), and optionally a file to write the misses and false positives to (paths
 * and line numbers only, never the text).
 */
public final class CredDataBench {
  static final double TARGET_RECALL = 0.90;
  static final double TARGET_PRECISION = 0.90;
  static final double TARGET_CATEGORY_RECALL = 0.70;
  static final int CATEGORY_MIN_LABELLED = 30;
  static final double TARGET_MB_PER_SECOND = 20;
  private static final int WARMUP_PASSES = 2;
  private static final int TIMED_PASSES = 3;

  record Result(CredDataScore score, double mbPerSecond, long bytes, List<String> failures) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: CredDataBench <mirrors dir> <repository list> [misses file]");
      System.exit(2);
    }
    CredData data = new CredData(Path.of(args[0]));
    if (!data.present()) {
      System.err.println("no CredData mirror under " + args[0]);
      System.exit(2);
    }
    Result r = run(data, Files.readAllLines(Path.of(args[1])), System.out);
    if (args.length > 2) Files.write(Path.of(args[2]), r.score().misses);
    System.exit(r.failures().isEmpty() ? 0 : 1);
  }

  static Result run(CredData data, List<String> repoList, PrintStream out) throws IOException {
    List<String> repos = repoList.stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    CredData.Loaded loaded = data.load(repos);
    loaded.notes().forEach(n -> out.println("note: " + n));
    long bytes = loaded.files().stream().mapToLong(LabelledFile::bytes).sum();
    out.printf("%d of %d repositories usable, %d labelled files, %.1f MB%n", loaded.usableRepos().size(),
        repos.size(), loaded.files().size(), bytes / 1e6);

    SecretDetector detector = new SecretDetector();
    List<List<SecretMatch>> findings = new ArrayList<>();
    for (int i = 0; i < WARMUP_PASSES; i++) findings = pass(detector, loaded.files());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall0 = System.nanoTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < TIMED_PASSES; i++) findings = pass(detector, loaded.files());
    double seconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 / TIMED_PASSES;
    double wallSeconds = (System.nanoTime() - wall0) / 1e9 / TIMED_PASSES;
    double mbPerSecond = bytes / 1e6 / seconds;

    CredDataScore score = new CredDataScore();
    CredDataScore confident = new CredDataScore();
    for (int i = 0; i < loaded.files().size(); i++) {
      score.add(loaded.files().get(i), findings.get(i));
      confident.add(loaded.files().get(i), findings.get(i).stream().filter(m -> m.confidence() != Confidence.LOW).toList());
    }
    out.println();
    score.print(out);
    out.println();
    out.printf("findings of medium or high confidence only: recall %.3f, precision %.3f, F1 %.3f (%d found, %d false)%n",
        confident.overall.recall(), confident.overall.precision(), confident.overall.f1(), confident.overall.found,
        confident.overall.falsePositives);
    out.println();
    out.printf("secrets pass: %.1f MB in %.3f s of CPU time on one thread (%.3f s wall) = %.1f MB/s per core%n",
        bytes / 1e6, seconds, wallSeconds, mbPerSecond);

    List<String> failures = new ArrayList<>();
    check(out, failures, "overall recall", score.overall.recall(), TARGET_RECALL);
    check(out, failures, "overall precision", score.overall.precision(), TARGET_PRECISION);
    for (Map.Entry<String, CredDataScore.Tally> e : score.byCategory.entrySet()) {
      if (e.getValue().labelled >= CATEGORY_MIN_LABELLED) {
        check(out, failures, "recall of " + e.getKey(), e.getValue().recall(), TARGET_CATEGORY_RECALL);
      }
    }
    check(out, failures, "MB/s per core", mbPerSecond, TARGET_MB_PER_SECOND);
    return new Result(score, mbPerSecond, bytes, failures);
  }

  private static List<List<SecretMatch>> pass(SecretDetector detector, List<LabelledFile> files) {
    List<List<SecretMatch>> out = new ArrayList<>(files.size());
    for (LabelledFile f : files) out.add(detector.find(f.path(), f.text()));
    return out;
  }

  private static void check(PrintStream out, List<String> failures, String what, double value, double target) {
    boolean pass = value >= target;
    out.printf("%s %s %.3f (target >= %.2f)%n", pass ? "PASS" : "FAIL", what, value, target);
    if (!pass) failures.add(what);
  }
}
