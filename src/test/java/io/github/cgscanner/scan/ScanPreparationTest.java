package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.it.TestRepo;
import io.github.cgscanner.source.PathSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanPreparationTest {
  @TempDir Path tmp;

  @Test
  void bigScansArePreparedOnLowPriorityThreads() {
    Thread thread = ScanPreparation.BULK.submit(Thread::currentThread).join();
    assertEquals(Thread.MIN_PRIORITY, thread.getPriority());
    assertTrue(thread.getName().startsWith("scanner-bulk-"), thread.getName());
  }

  @Test
  void aBigScanIsCutExactlyLikeASmallOne() throws Exception {
    TestRepo.generate(tmp.resolve("repo"), 40, 11);
    ScanPreparation.Prepared asSmall = prepare("1000");
    ScanPreparation.Prepared asBig = prepare("10");
    assertTrue(asSmall.chunks().size() > 5, "the repository should need several chunks");
    assertEquals(asSmall.chunks(), asBig.chunks());
    assertEquals(asSmall.localFindings(), asBig.localFindings());
    assertEquals(asSmall.estimateTokens(), asBig.estimateTokens());
  }

  private ScanPreparation.Prepared prepare(String shardThreshold) throws Exception {
    var config = ConfigLoader.load(null, Map.of("SCANNER_SHARD_THRESHOLD", shardThreshold), Map.of());
    ScanPreparation preparation = new ScanPreparation(config.sources(), config.scan(), config.model());
    var selected = preparation.fetchAndSelect(new PathSource(tmp.resolve("repo")), ScanOptions.none(),
        Files.createTempDirectory(tmp, "ws"), Cancellation.never());
    return preparation.checkAndChunk(selected, ScanOptions.none(), true, null, Cancellation.never());
  }
}
