package io.github.cgscanner.scan;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.source.PathSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the default budget ({@code scan.maxTokens}) must cover: prints, for each directory given, the
 * files a scan selects and the model tokens it estimates, as the service computes them before spending.
 * {@code java -cp … io.github.cgscanner.scan.EstimateMain DIR…}
 */
public final class EstimateMain {
  private EstimateMain() {}

  public static void main(String[] args) throws Exception {
    ScannerConfig config = ConfigLoader.load(null, Map.of("OPENAI_API_KEY", "unused"), Map.of("scan.maxFiles", 1_000_000));
    ScanPreparation preparation = new ScanPreparation(config.sources(), config.scan(), config.model());
    System.out.printf("%-28s %8s %8s %12s %10s%n", "repository", "files", "chunks", "tokens", "tokens/file");
    for (String dir : args) {
      Path ws = Files.createTempDirectory("estimate");
      var selected = preparation.fetchAndSelect(new PathSource(Path.of(dir).toRealPath()), ScanOptions.none(), ws, Cancellation.never());
      var prepared = preparation.checkAndChunk(selected, ScanOptions.none(), true, null, null, Cancellation.never());
      int files = prepared.selection().review().size();
      System.out.printf("%-28s %8d %8d %12d %10d%n", Path.of(dir).getFileName(), files, prepared.chunks().size(),
          prepared.estimateTokens(), files == 0 ? 0 : prepared.estimateTokens() / files);
    }
    ScanPreparation.BULK.shutdown();
  }
}
