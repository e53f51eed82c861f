package io.github.cgscanner.cli;

import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.config.StoreChoice;
import io.github.cgscanner.domain.Projects;
import io.github.cgscanner.report.JsonReport;
import io.github.cgscanner.report.SarifReport;
import io.github.cgscanner.report.TextReport;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.source.PathSource;
import io.github.cgscanner.source.SourceFetcher;
import io.github.cgscanner.source.SourceRejected;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Scan a directory, a .zip or .tar.gz archive, or a git URL on one embedded node, and print a report.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:no finding at or above --fail-on",
        "1:a finding at or above --fail-on",
        "2:bad usage, bad configuration, or a source refused by policy",
        "3:the scan failed, some files failed (without --allow-partial), or --require-model with no usable key"})
final class ScanCommand implements Callable<Integer> {
  static final int EXIT_FINDINGS = 1;
  static final int EXIT_FAILED = 3;

  enum Format { text, json, sarif }

  @Parameters(index = "0", paramLabel = "<dir | .zip | .tar.gz | git-url>")
  String target;

  @Option(names = "--format", description = "text, json or sarif (default: ${DEFAULT-VALUE})", defaultValue = "text")
  Format format;

  @Option(names = "--output", paramLabel = "FILE", description = "write the report here instead of standard output")
  Path output;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "high",
      description = "critical, high, medium, low or none: exit 1 on a finding at or above it (default: ${DEFAULT-VALUE})")
  String failOn;

  @Option(names = "--require-model", description = "exit 3 when no usable API key is configured, instead of running local checks only")
  boolean requireModel;

  @Option(names = "--allow-partial", description = "exit by findings even when some files could not be reviewed")
  boolean allowPartial;

  @Option(names = "--progress", negatable = true, description = "progress on standard error (default: when it is a terminal)")
  Boolean progress;

  @Option(names = "--include", split = ",", paramLabel = "GLOB", description = "review only files matching these globs")
  List<String> include = List.of();

  @Option(names = "--exclude", split = ",", paramLabel = "GLOB", description = "never review files matching these globs")
  List<String> exclude = List.of();

  @Option(names = "--project", paramLabel = "NAME", description = "the project the scan belongs to (default: derived from a git URL)")
  String project;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "the embedded database's directory (default: $XDG_DATA_HOME/chatgpt-security-scanner)")
  Path dataDir;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    ScannerConfig config;
    SourceSpec spec;
    Severity threshold;
    try {
      threshold = failOn.equalsIgnoreCase("none") ? null : Severity.parse(failOn);
      if (threshold == null && !failOn.equalsIgnoreCase("none")) {
        throw new ConfigException("--fail-on must be critical, high, medium, low or none");
      }
      config = configOptions.load(new HashMap<>());
      if (project != null && !Projects.isSlug(project)) {
        throw new ConfigException("--project must be a slug: lower-case letters, digits, '.', '_' or '-', at most 100 characters");
      }
      config = config.withStore(localStore(config.store()));
      spec = resolveTarget(config);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (SourceRejected e) {
      System.err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Logging.configure(new ScannerConfig.Log(config.log().format(), System.getenv("SCANNER_LOG_LEVEL") == null ? "warn" : config.log().level()));
    if (!config.modelReviewEnabled()) {
      if (requireModel) {
        System.err.println("error: --require-model: no API key configured (set OPENAI_API_KEY)");
        return EXIT_FAILED;
      }
      System.err.println("model review skipped: no API key configured (set OPENAI_API_KEY); running local checks only");
    }
    boolean showProgress = progress != null ? progress : System.console() != null;
    ScanOptions options = new ScanOptions(include, exclude, null, Severity.INFO, null, null, List.of(), project);
    EmbeddedScan.Result result;
    try {
      result = EmbeddedScan.run(config, spec, options, showProgress ? System.err : null, Main.version());
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException bad) {
        System.err.println("error: " + bad.getMessage());
        return Main.EXIT_USAGE;
      }
      System.err.println("error: the scan could not run: " + cause.getMessage());
      return EXIT_FAILED;
    }
    try {
      writeReport(result.scan(), result.findings());
    } catch (IOException e) {
      System.err.println("error: cannot write " + output + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return exitCode(result, threshold);
  }

  /**
   * The embedded database (SCANNER_DB_URL is not for the CLI); when the default directory cannot be
   * written, memory with one warning — a directory named explicitly must work or it is exit 2.
   */
  private ScannerConfig.Store localStore(ScannerConfig.Store configured) {
    ScannerConfig.Store store = StoreChoice.forScanCommand(configured, dataDir, System.getenv());
    if (!store.kind().equals(ScannerConfig.Store.EMBEDDED)) return store;
    try {
      StoreChoice.requireWritable(store.dataDir());
      return store;
    } catch (ConfigException e) {
      if (store.dataDirExplicit()) throw e;
      System.err.println("warning: " + e.getMessage() + "; this scan is kept in memory only");
      return store.withKind(ScannerConfig.Store.MEMORY);
    }
  }

  private SourceSpec resolveTarget(ScannerConfig config) {
    if (target.contains("://") || target.startsWith("git@")) {
      return SourceSpec.parseSubmitted(new JsonObject().put("git", new JsonObject().put("url", target)), config.sources());
    }
    Path path = Path.of(target);
    if (Files.isDirectory(path)) {
      try {
        return new PathSource(path.toRealPath());
      } catch (IOException e) {
        throw new ConfigException("cannot read directory " + target);
      }
    }
    if (Files.isRegularFile(path)) {
      return SourceFetcher.detectArchive(path.toAbsolutePath(), path.getFileName().toString());
    }
    throw new ConfigException("no such directory, archive or git URL: " + target);
  }

  private void writeReport(JsonObject scan, List<Finding> findings) throws IOException {
    String text = switch (format) {
      case json -> JsonReport.build(scan, findings).encodePrettily() + "\n";
      case sarif -> SarifReport.build(scan, findings, Main.version()).encodePrettily() + "\n";
      case text -> TextReport.render(scan, findings, output == null && System.console() != null);
    };
    if (output == null) {
      System.out.print(text);
      System.out.flush();
    } else {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    }
  }

  /** The SPEC's precedence: 2 was handled earlier; then 3 (failed), then 1 (findings), else 0. */
  private int exitCode(EmbeddedScan.Result result, Severity threshold) {
    JsonObject scan = result.scan();
    if (!ScanStatus.COMPLETED.wire().equals(scan.getString("status"))) {
      JsonObject error = scan.getJsonObject("error");
      String code = error == null ? "" : error.getString("code", "");
      System.err.println("scan " + scan.getString("status") + (error == null ? "" : ": " + code + ": " + error.getString("message")));
      return code.equals(FailureCode.SOURCE_REFUSED.wire()) ? Main.EXIT_USAGE : EXIT_FAILED;
    }
    if (!scan.getJsonArray("failedFiles").isEmpty() && !allowPartial) {
      System.err.println(scan.getJsonArray("failedFiles").size() + " file(s) could not be reviewed (see failedFiles); --allow-partial accepts that");
      return EXIT_FAILED;
    }
    if (requireModel && "skipped".equals(scan.getString("modelReview"))) {
      return EXIT_FAILED;
    }
    if (scan.getValue("verification") instanceof JsonObject v && "partial".equals(v.getString("status"))) {
      System.err.println("verification partial: " + v.getValue("failed") + " finding(s) could not be verified; they are reported unverified");
    }
    // Only reported findings count: one the verification pass rejected does not fail the build.
    if (threshold != null && result.findings().stream().anyMatch(f -> f.reported() && f.severity().atLeast(threshold))) {
      return EXIT_FINDINGS;
    }
    return 0;
  }
}
