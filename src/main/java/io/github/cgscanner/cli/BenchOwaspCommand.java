package io.github.cgscanner.cli;

import io.github.cgscanner.benchmark.BenchmarkLayout;
import io.github.cgscanner.benchmark.CaseSelection;
import io.github.cgscanner.benchmark.Categories;
import io.github.cgscanner.benchmark.ExpectedResults;
import io.github.cgscanner.benchmark.ExpectedResults.TestCase;
import io.github.cgscanner.benchmark.Scorecard;
import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.source.PathSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "owasp", mixinStandardHelpOptions = true,
    description = {"Scan a local checkout of OWASP Benchmark (Java) with the configured keys, or local checks only "
        + "without a key, and print what the benchmark's scorer prints: per category TPR, FPR and score "
        + "(TPR - FPR), the overall score (their average over the categories), and the requests, tokens and cost spent.",
        "A finding counts for a test case when it is in the test case's file and its CWE is the case's, or one "
        + "this scanner maps to it (e.g. CWE-338 for weak randomness, CWE-330)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the scorecard was printed", "2:bad usage, bad configuration or not a benchmark checkout",
        "3:the scan failed"})
final class BenchOwaspCommand implements Callable<Integer> {
  @Option(names = "--benchmark-dir", required = true, paramLabel = "DIR",
      description = "a checkout of github.com/OWASP-Benchmark/BenchmarkJava (or anything with its layout)")
  Path benchmarkDir;

  @Option(names = "--cases", paramLabel = "SET", defaultValue = "all",
      description = "divisible-by-5, others or all: which test cases, by number, to scan and score (default: ${DEFAULT-VALUE})")
  String cases;

  @Option(names = "--expected", paramLabel = "FILE",
      description = "the expected results (default: the only expectedresults-*.csv in DIR)")
  Path expected;

  @Option(names = "--progress", negatable = true, description = "progress on standard error (default: when it is a terminal)")
  Boolean progress;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    ScannerConfig config;
    Path root;
    Path csv;
    List<TestCase> selected;
    BenchmarkLayout.Sources sources;
    try {
      CaseSelection selection = CaseSelection.parse(cases);
      if (!Files.isDirectory(benchmarkDir)) throw new IllegalArgumentException("no such directory: " + benchmarkDir);
      root = benchmarkDir.toRealPath();
      csv = expected != null ? expected : BenchmarkLayout.expectedResults(root);
      selected = selection.select(ExpectedResults.read(csv));
      if (selected.isEmpty()) throw new IllegalArgumentException(csv.getFileName() + " has no test case in --cases " + cases);
      sources = BenchmarkLayout.sources(root, selected.stream().map(TestCase::name).collect(Collectors.toSet()));
      // A measurement, not history: nothing of it outlives the run, so every run asks the model again.
      ScannerConfig loaded = configOptions.load(new HashMap<>());
      config = loaded.withStore(loaded.store().withKind(ScannerConfig.Store.MEMORY));
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (IOException e) {
      System.err.println("error: cannot read " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Logging.configure(new ScannerConfig.Log(config.log().format(), System.getenv("SCANNER_LOG_LEVEL") == null ? "warn" : config.log().level()));
    boolean model = config.modelReviewEnabled();
    if (!model) System.err.println("model review skipped: no API key configured (set OPENAI_API_KEY); scoring the local checks only");
    boolean showProgress = progress != null ? progress : System.console() != null;
    long started = System.nanoTime();
    EmbeddedScan.Result result;
    try {
      result = scanCopy(config, root, sources, showProgress);
    } catch (Exception e) {
      System.err.println("error: the scan could not run: " + e.getMessage());
      return ScanCommand.EXIT_FAILED;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    JsonObject scan = result.scan();
    if (!"completed".equals(scan.getString("status"))) {
      JsonObject error = scan.getJsonObject("error");
      System.err.println("scan " + scan.getString("status") + (error == null ? "" : ": " + error.getString("code") + ": " + error.getString("message")));
      return ScanCommand.EXIT_FAILED;
    }
    String modelName = model ? config.model().name() : null;
    JsonObject usage = scan.getJsonObject("usage", new JsonObject());
    JsonObject verification = scan.getJsonObject("verification", new JsonObject());
    boolean verified = List.of("done", "partial").contains(verification.getString("status", "off"));
    // A verified scan is scored twice: with every finding (what the review alone gives, at the review's
    // cost), then without those the pass rejected (at the whole cost).
    String title = verified ? "every finding, before verification" : null;
    JsonObject reviewUsage = verified ? minus(usage, usage.getJsonObject("verification", new JsonObject())) : usage;
    System.out.print(render(Scorecard.of(selected, reported(result.findings(), sources.tests())), csv, cases, modelName, title,
        reviewUsage, result.findings(), sources.tests(), seconds));
    if (verified) {
      List<Finding> kept = result.findings().stream().filter(Finding::reported).toList();
      System.out.println();
      System.out.print(render(Scorecard.of(selected, reported(kept, sources.tests())), csv, cases, modelName,
          "after verification (" + verification.getValue("mode") + "): " + (result.findings().size() - kept.size())
              + " rejected finding(s) left out, " + verification.getValue("failed") + " not verified", usage, kept, sources.tests(), seconds));
    }
    System.out.flush();
    if (!scan.getJsonArray("failedFiles", new JsonArray()).isEmpty()) {
      System.err.println(scan.getJsonArray("failedFiles").size() + " test file(s) could not be reviewed (see the scan's failedFiles): they count as not detected");
    }
    return 0;
  }

  /** Scans a temporary copy of exactly the selected test files and the configuration files, at their own paths. */
  private static EmbeddedScan.Result scanCopy(ScannerConfig config, Path root, BenchmarkLayout.Sources sources, boolean progress)
      throws Exception {
    Path workspace = Files.createTempDirectory("owasp-benchmark");
    try {
      BenchmarkLayout.copy(root, sources, workspace);
      return EmbeddedScan.run(config, new PathSource(workspace), ScanOptions.none(), progress ? System.err : null, Main.version());
    } finally {
      try {
        BenchmarkLayout.delete(workspace);
      } catch (IOException e) {
        System.err.println("warning: could not delete the temporary copy " + workspace + ": " + e.getMessage());
      }
    }
  }

  /** Per test case, the CWE numbers of the findings in its file. */
  static Map<String, Set<Integer>> reported(List<Finding> findings, Map<String, String> testFiles) {
    Map<String, String> testByPath = new HashMap<>();
    testFiles.forEach((test, path) -> testByPath.put(path, test));
    Map<String, Set<Integer>> out = new HashMap<>();
    for (Finding f : findings) {
      String test = testByPath.get(f.path());
      int cwe = Categories.number(f.cwe());
      if (test != null && cwe > 0) out.computeIfAbsent(test, k -> new HashSet<>()).add(cwe);
    }
    return out;
  }

  /** What the review alone spent: the whole usage less the verification pass's share. */
  private static JsonObject minus(JsonObject usage, JsonObject share) {
    JsonObject out = new JsonObject();
    for (String field : List.of("requests", "promptTokens", "cachedTokens", "completionTokens")) {
      out.put(field, usage.getLong(field, 0L) - share.getLong(field, 0L));
    }
    return out.put("estimatedCostUsd", usage.getDouble("estimatedCostUsd", 0.0) - share.getDouble("estimatedCostUsd", 0.0));
  }

  private static String render(Scorecard card, Path csv, String cases, String model, String title, JsonObject u,
      List<Finding> findings, Map<String, String> testFiles, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append("OWASP Benchmark scorecard: ").append(csv.getFileName()).append(", ").append(card.cases())
        .append(" test cases (--cases ").append(cases).append("), ")
        .append(model == null ? "local checks only" : "local checks and model " + model)
        .append(title == null ? "" : "; " + title).append('\n');
    out.append(card.render());
    Set<String> tested = new HashSet<>(testFiles.values());
    long local = findings.stream().filter(f -> tested.contains(f.path()) && !"llm".equals(f.source())).count();
    long reviewed = findings.stream().filter(f -> tested.contains(f.path()) && "llm".equals(f.source())).count();
    out.append(String.format(Locale.ROOT, "findings in test files: %d from local checks, %d from the model%n", local, reviewed));
    out.append(String.format(Locale.ROOT, "usage: %d requests, %d prompt tokens (%d cached), %d completion tokens, ~$%.4f; %.1f s%n",
        u.getLong("requests", 0L), u.getLong("promptTokens", 0L), u.getLong("cachedTokens", 0L),
        u.getLong("completionTokens", 0L), u.getDouble("estimatedCostUsd", 0.0), seconds));
    return out.toString();
  }
}
