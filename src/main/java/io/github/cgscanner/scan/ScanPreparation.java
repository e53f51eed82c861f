package io.github.cgscanner.scan;

import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.chunk.Chunk;
import io.github.cgscanner.chunk.Chunker;
import io.github.cgscanner.chunk.FileText;
import io.github.cgscanner.chunk.TokenCounter;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.llm.PromptBuilder;
import io.github.cgscanner.rules.LocalCheckResult;
import io.github.cgscanner.rules.ConfigValues;
import io.github.cgscanner.rules.LocalChecks;
import io.github.cgscanner.rules.RuleMatch;
import io.github.cgscanner.source.FetchedSource;
import io.github.cgscanner.source.FileSelector;
import io.github.cgscanner.source.SelectedFile;
import io.github.cgscanner.source.Selection;
import io.github.cgscanner.source.SourceFetcher;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.source.SourceText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The blocking half of a scan, run on the scanner's worker pool: fetch, select, local checks and
 * masking, chunking, estimate. Everything the model will see is cut from masked text here, so a
 * secret found locally never leaves the machine.
 */
final class ScanPreparation {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScanPreparation.class);
  /** Output tokens we expect per request for the estimate: answers are short lists of findings. */
  private static final int EXPECTED_COMPLETION_TOKENS = 400;

  record Prepared(
      FetchedSource fetched,
      Selection selection,
      List<Finding> localFindings,
      List<PreparedChunk> chunks,
      Map<String, String> unreadable,
      List<String> emptyFiles,
      long estimateTokens,
      double estimateCostUsd,
      MaskedTexts masked) {}

  /**
   * The parts of one future task (masked text, with the local-rule hints inside their lines), its token
   * count, and its review cache key (null when the cache is off).
   */
  record PreparedChunk(List<ReviewTask.Part> parts, long tokens, String reviewKey) {}

  /** A scan cut short before any model call: the scan fails with this code. */
  static final class Refused extends RuntimeException {
    final FailureCode code;

    Refused(FailureCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** Files a big scan checks between two looks at whether small scans are waiting for the CPU. */
  private static final int BATCH = 16;
  /** A big scan steps aside for at most this long in all, so a stream of small scans cannot starve it. */
  private static final long MAX_YIELD_MS = 20_000;

  private static final AtomicInteger BULK_THREADS = new AtomicInteger();
  /**
   * Where big scans are checked and chunked: threads at the lowest priority, so that where the JVM may
   * set OS priorities ({@code -XX:ThreadPriorityPolicy=1}) a 400-file preparation gives way to small
   * scans, answers and HTTP, also those of other workers on the same machine. Small scans use the common pool.
   */
  static final ForkJoinPool BULK = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setName("scanner-bulk-" + BULK_THREADS.getAndIncrement());
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  }, null, false);

  private final ScannerConfig.Sources sources;
  private final ScannerConfig.Scan scan;
  /** The model a scan's chunks and estimate are planned for: it depends on the keys the scan may use. */
  private final Function<ScanOptions, ScannerConfig.Model> planning;
  private final LocalChecks localChecks = new LocalChecks();
  /**
   * Small scans being checked on this worker. A big scan pauses between batches while any is: on a busy
   * machine a 20-file scan would otherwise wait for CPU behind every 400-file preparation, and a big
   * scan loses little because its model phase is what takes time.
   */
  private final AtomicInteger smallRunning = new AtomicInteger();

  ScanPreparation(ScannerConfig.Sources sources, ScannerConfig.Scan scan, Function<ScanOptions, ScannerConfig.Model> planning) {
    this.sources = sources;
    this.scan = scan;
    this.planning = planning;
  }

  /** For a pool whose keys all use {@code model}. */
  ScanPreparation(ScannerConfig.Sources sources, ScannerConfig.Scan scan, ScannerConfig.Model model) {
    this(sources, scan, options -> model);
  }

  Prepared fetchAndSelect(SourceSpec spec, ScanOptions options, Path workspace, Cancellation cancellation) {
    FetchedSource fetched = new SourceFetcher(sources).fetch(spec, workspace, cancellation);
    Selection selection = new FileSelector(sources.maxFileBytes())
        .select(fetched.root(), options.include(), options.exclude(), cancellation);
    if (selection.review().size() > scan.maxFiles()) {
      throw new Refused(FailureCode.TOO_MANY_FILES, selection.review().size() + " files were selected; this service reviews at most "
          + scan.maxFiles() + " per scan (narrow it with options.include/exclude)");
    }
    return new Prepared(fetched, selection, List.of(), List.of(), Map.of(), List.of(), 0, 0, null);
  }

  /**
   * @param keepMaskedIn the workspace to keep each reviewed file's masked text in (for the verification pass), or null
   * @param cacheScope the scan's review cache scope ({@link ReviewKeys#scope}), or null when the cache is off
   */
  Prepared checkAndChunk(Prepared selected, ScanOptions options, boolean modelReview, Path keepMaskedIn, String cacheScope,
      Cancellation cancellation) {
    boolean small = selected.selection().review().size() < scan.shardThreshold();
    Work work = new Work(options, modelReview, keepMaskedIn, cacheScope, cancellation);
    if (!small) return BULK.submit(() -> checkAndChunk(selected, work, false)).join();
    smallRunning.incrementAndGet();
    try {
      return checkAndChunk(selected, work, true);
    } finally {
      smallRunning.decrementAndGet();
    }
  }

  /** Waits while small scans are being prepared, until {@code deadline}. */
  private void yieldToSmallScans(long deadline) {
    try {
      while (smallRunning.get() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Work(ScanOptions options, boolean modelReview, Path keepMaskedIn, String cacheScope, Cancellation cancellation) {}

  private Prepared checkAndChunk(Prepared selected, Work work, boolean small) {
    ScanOptions options = work.options();
    Cancellation cancellation = work.cancellation();
    List<Finding> local = new ArrayList<>();
    List<FileText> texts = new ArrayList<>();
    Map<String, List<RuleMatch>> hints = new HashMap<>();
    Map<String, String> unreadable = new TreeMap<>();
    List<String> empty = new ArrayList<>();
    // Files are independent: check them in parallel (the rules are the bulk of preparation), then
    // collect in path order so everything downstream stays deterministic.
    ConfigValues configured = configValues(selected.selection());
    List<java.util.Optional<LocalCheckResult>> localOnly = selected.selection().localOnly().parallelStream()
        .map(f -> readAndCheck(f, configured, cancellation)).toList();
    localOnly.forEach(r -> r.ifPresent(x -> local.addAll(x.findings())));
    local.addAll(secretsOnly(selected.selection().secretsOnly()));
    List<SelectedFile> review = selected.selection().review();
    long yieldUntil = System.currentTimeMillis() + MAX_YIELD_MS;
    List<java.util.Optional<LocalCheckResult>> reviewed = new ArrayList<>();
    for (int from = 0; from < review.size(); from += BATCH) {
      if (!small) yieldToSmallScans(yieldUntil);
      reviewed.addAll(review.subList(from, Math.min(review.size(), from + BATCH)).parallelStream()
          .map(f -> readAndCheck(f, configured, cancellation)).toList());
    }
    for (int i = 0; i < review.size(); i++) {
      SelectedFile f = review.get(i);
      var result = reviewed.get(i);
      if (result.isEmpty()) {
        unreadable.put(f.path(), "unreadable");
        continue;
      }
      local.addAll(result.get().findings());
      String masked = result.get().maskedText();
      if (masked.isBlank()) {
        empty.add(f.path());
        continue;
      }
      texts.add(new FileText(f.path(), masked));
      if (!result.get().hints().isEmpty()) hints.put(f.path(), result.get().hints());
    }
    List<PreparedChunk> chunks = List.of();
    long tokens = 0;
    double cost = 0;
    MaskedTexts masked = null;
    if (work.modelReview()) {
      ScannerConfig.Model model = planning.apply(options);
      ReviewKeys reviewKeys = new ReviewKeys(model.baseUrl());
      int fixed = PromptBuilder.fixedPromptTokens(options.instructions());
      // Smaller than the context allows: a reviewer given a whole context of code misses more, and
      // more, smaller requests spread over more keys and slots.
      int budget = Math.min(model.maxChunkTokens(), Chunker.budgetFor(model.contextTokens(), model.maxCompletionTokens(), fixed));
      if (!small) yieldToSmallScans(yieldUntil);
      List<Chunk> cut = new Chunker(TokenCounter.shared(), budget).chunk(texts, cancellation);
      chunks = ChunkParts.prepared(cut, hints, work.cacheScope() == null ? null : (parts -> reviewKeys.key(work.cacheScope(),
          model.name(), options.instructions(), parts)), cancellation);
      long prompt = 0;
      long cached = 0;
      for (Chunk c : cut) {
        prompt += c.tokens() + fixed;
        cached += fixed;
      }
      cached -= Math.min(cached, fixed);
      long completion = (long) chunks.size() * EXPECTED_COMPLETION_TOKENS;
      tokens = prompt + completion;
      cost = model.costUsd(prompt, cached, completion);
      if (work.keepMaskedIn() != null) masked = keepMasked(work.keepMaskedIn(), texts, hints);
    }
    return new Prepared(selected.fetched(), selected.selection(), local, chunks, unreadable, empty, tokens, cost, masked);
  }

  private static MaskedTexts keepMasked(Path workspace, List<FileText> texts, Map<String, List<RuleMatch>> hints) {
    Map<String, List<ReviewTask.Hint>> byPath = new HashMap<>();
    hints.forEach((path, matches) -> byPath.put(path, matches.stream().map(m -> new ReviewTask.Hint(m.line(), m.rule(), m.title())).toList()));
    try {
      return MaskedTexts.write(workspace, texts, byPath);
    } catch (IOException e) {
      // The review goes on; its findings are reported unverified (fail closed), not lost with the scan.
      LOG.warn("the masked texts could not be kept for the verification pass: {}", e.toString());
      return null;
    }
  }

  /**
   * Files no other check reads (vendored, built, gitignored, excluded, too large for review): a secret
   * committed there is leaked all the same, so it is reported. Their text goes nowhere else.
   */
  private List<Finding> secretsOnly(List<SelectedFile> files) {
    return files.parallelStream().flatMap(f -> {
      try {
        return localChecks.checkSecrets(f.path(), SourceText.read(f.file())).stream();
      } catch (IOException | RuntimeException e) {
        return java.util.stream.Stream.empty();
      }
    }).toList();
  }

  private java.util.Optional<LocalCheckResult> readAndCheck(SelectedFile f, ConfigValues configured, Cancellation cancellation) {
    cancellation.check();
    try {
      return java.util.Optional.of(localChecks.check(f.path(), SourceText.read(f.file()), configured));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** What the repository's configuration files set, for rules that judge configured values (an unreadable one is left out). */
  private static ConfigValues configValues(Selection selection) {
    List<String> texts = new ArrayList<>();
    for (List<SelectedFile> files : List.of(selection.localOnly(), selection.review())) {
      for (SelectedFile f : files) {
        if (!ConfigValues.isConfigFile(f.path())) continue;
        try {
          texts.add(SourceText.read(f.file()));
        } catch (IOException unreadable) {
          // reported as unreadable when its turn comes
        }
      }
    }
    return ConfigValues.fromProperties(texts);
  }
}
