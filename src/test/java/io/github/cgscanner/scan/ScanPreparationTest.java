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

  @Test
  void reviewKeysFollowTheCodeTheOwnerAndTheInstructions() throws Exception {
    TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 40, 12);
    StringBuilder braces = new StringBuilder();
    for (int i = 0; i < 3000; i++) braces.append(i % 3 == 0 ? "  }\n" : "  total += value" + i + ";\n");
    Files.writeString(repo.root.resolve("src/java/Braces.java"), braces.toString());
    java.util.List<String> alice = keys(prepare("1000", "owner:alice", ScanOptions.none()));
    assertEquals(alice, keys(prepare("1000", "owner:alice", ScanOptions.none())), "the same code, the same keys");
    assertTrue(alice.stream().allMatch(k -> k.matches("[0-9a-f]{64}")));
    assertEquals(alice.size(), new java.util.HashSet<>(alice).size(), "one key per chunk");
    assertTrue(java.util.Collections.disjoint(alice, keys(prepare("1000", "owner:bob", ScanOptions.none()))), "another owner's keys");
    ScanOptions instructed = ScanOptions.fromJson(new io.vertx.core.json.JsonObject().put("instructions", "Focus on SQL."));
    assertTrue(java.util.Collections.disjoint(alice, keys(prepare("1000", "owner:alice", instructed))), "other instructions");

    Path changed = repo.root.resolve(repo.planted.get(0).path());
    Files.writeString(changed, "// changed\n" + Files.readString(changed));
    java.util.List<String> after = keys(prepare("1000", "owner:alice", ScanOptions.none()));
    java.util.List<String> missed = after.stream().filter(k -> !alice.contains(k)).toList();
    assertTrue(missed.size() >= 1 && missed.size() <= 2, "one file changed, " + missed.size() + " keys changed");

    ScanPreparation.Prepared prepared = prepare("1000", null, ScanOptions.none());
    assertTrue(prepared.chunks().stream().allMatch(c -> c.reviewKey() == null), "no keys with the cache off");
    assertTrue(prepared.chunks().stream().flatMap(c -> c.parts().stream())
        .anyMatch(p -> p.path().endsWith("Braces.java") && p.startLine() > 1 && p.seenBefore().equals(
            java.util.List.of(firstBraceAtOrAfter(p.startLine()), (p.startLine() + 1) / 3))),
        "later parts of a long file carry the ordinals of their repeated lines");
  }

  /** Lines 1, 4, 7, … are "}": the first at or after {@code line}. */
  private static int firstBraceAtOrAfter(int line) {
    return line + (3 - (line - 1) % 3) % 3;
  }

  private static java.util.List<String> keys(ScanPreparation.Prepared p) {
    return p.chunks().stream().map(ScanPreparation.PreparedChunk::reviewKey).toList();
  }

  private ScanPreparation.Prepared prepare(String shardThreshold) throws Exception {
    return prepare(shardThreshold, null, ScanOptions.none());
  }

  private ScanPreparation.Prepared prepare(String shardThreshold, String cacheScope, ScanOptions options) throws Exception {
    var config = ConfigLoader.load(null, Map.of("SCANNER_SHARD_THRESHOLD", shardThreshold), Map.of());
    ScanPreparation preparation = new ScanPreparation(config.sources(), config.scan(), config.model());
    var selected = preparation.fetchAndSelect(new PathSource(tmp.resolve("repo")), options,
        Files.createTempDirectory(tmp, "ws"), Cancellation.never());
    return preparation.checkAndChunk(selected, options, true, null, cacheScope, Cancellation.never());
  }
}
