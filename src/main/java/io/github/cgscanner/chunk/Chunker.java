package io.github.cgscanner.chunk;

import io.github.cgscanner.domain.Cancellation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts masked files into review chunks whose numbered text fits a token budget.
 *
 * <p>The model sees each part as a header line {@code === FILE: <path> (lines <a>-<b>) ===} followed
 * by every line as {@code <absolute line number>| <line>} (no padding: padding cost about 14% more tokens on real code
 * and buys the model nothing). A code line always starts with a digit, the header never does, so the two
 * cannot be confused whatever the code contains.
 *
 * <p>Each numbered line ends with "\n" and the next one starts with a digit, so no o200k pre-token spans
 * two lines: the token count of a part is exactly the header's count plus the sum of its lines' counts.
 * That lets every line be encoded once per file instead of re-encoding growing strings. Where to cut is
 * decided with the header of the widest line range ({@code N-N}, N the file's last line: no range of
 * that file has more digits), and a part is then counted with its own header, so a chunk's count is
 * exactly that of the text the model gets.
 *
 * <p>Parts of a long file do not overlap: every line is sent exactly once, so a finding's lines always
 * belong to exactly one part. Cuts prefer a blank line near the target size so functions are split less
 * often.
 */
public final class Chunker {
  /** Overhead of one chat request beyond system prompt, schema and code: role markers and framing. */
  static final int MESSAGE_FRAMING_TOKENS = 64;
  /** Below this many code tokens per request, chunking degenerates; refuse such a configuration. */
  static final int MIN_BUDGET = 256;
  private static final String HEADER_PREFIX = "=== FILE: ";

  private final TokenCounter counter;
  private final int maxChunkTokens;

  public Chunker(TokenCounter counter, int maxChunkTokens) {
    if (counter == null) throw new IllegalArgumentException("counter is required");
    if (maxChunkTokens < MIN_BUDGET) {
      throw new IllegalArgumentException("chunk budget of " + maxChunkTokens + " tokens is below " + MIN_BUDGET);
    }
    this.counter = counter;
    this.maxChunkTokens = maxChunkTokens;
  }

  /**
   * Code tokens one request may carry: the context minus the answer's room, the fixed prompt (system
   * prompt, schema, instructions), the chat framing, and a reserve of 5% of the context. The reserve
   * covers providers whose tokenizer differs from o200k_base (any OpenAI-compatible endpoint may be
   * configured) and the cut-and-count error of hard-cut giant lines.
   *
   * @throws IllegalArgumentException when less than {@value #MIN_BUDGET} tokens remain for code
   */
  public static int budgetFor(int contextTokens, int maxCompletionTokens, int fixedPromptTokens) {
    if (contextTokens <= 0 || maxCompletionTokens < 0 || fixedPromptTokens < 0) {
      throw new IllegalArgumentException("token sizes must not be negative and the context must be positive");
    }
    long reserve = contextTokens / 20L + MESSAGE_FRAMING_TOKENS;
    long budget = (long) contextTokens - maxCompletionTokens - fixedPromptTokens - reserve;
    if (budget < MIN_BUDGET) {
      throw new IllegalArgumentException("a context of " + contextTokens + " tokens leaves " + Math.max(budget, 0)
          + " tokens for code after " + maxCompletionTokens + " for the answer and " + fixedPromptTokens
          + " for the prompt; at least " + MIN_BUDGET + " are needed");
    }
    return (int) budget;
  }

  /**
   * The header line of a part, as the prompt shows it. Control characters in a path would break the
   * layout (a newline could fake a header or a code line), so they are escaped.
   */
  public static String header(String path, int startLine, int endLine) {
    StringBuilder sb = new StringBuilder(HEADER_PREFIX.length() + path.length() + 32).append(HEADER_PREFIX);
    path.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) sb.append(String.format("\\u%04x", cp));
      else sb.appendCodePoint(cp);
    });
    return sb.append(" (lines ").append(startLine).append('-').append(endLine).append(") ===\n").toString();
  }

  /** The exact text the model sees for {@code part}. */
  public static String numbered(ChunkPart part) {
    List<String> lines = splitLines(part.text(), true);
    if (lines.size() != part.endLine() - part.startLine() + 1) {
      throw new IllegalArgumentException("part text has " + lines.size() + " lines for range "
          + part.startLine() + ".." + part.endLine());
    }
    StringBuilder sb = new StringBuilder(part.text().length() + lines.size() * 8 + 64).append(header(part.path(), part.startLine(), part.endLine()));
    for (int i = 0; i < lines.size(); i++) sb.append(numberedLine(part.startLine() + i, lines.get(i)));
    return sb.toString();
  }

  /** The exact code text of one request: its parts' numbered texts, one after the other. */
  public static String numbered(Chunk chunk) {
    StringBuilder sb = new StringBuilder();
    for (ChunkPart part : chunk.parts()) sb.append(numbered(part));
    return sb.toString();
  }

  /**
   * Cuts {@code files} into chunks of at most {@code maxChunkTokens} estimated tokens. Small files share
   * a chunk; a file that does not fit alone is split into consecutive parts, which are chunks of their
   * own. An empty file yields no part (there is nothing to review). Counting runs in parallel across files.
   *
   * <p>Which small files share a chunk depends on nothing but their paths and whether a run of them fits
   * ({@link #pack}), so a file that changes leaves the chunks of every other file byte-identical, and a
   * review of them is found again in the review cache.
   */
  public List<Chunk> chunk(List<FileText> files) {
    return chunk(files, Cancellation.never());
  }

  /** As {@link #chunk(List)}, stopping between files once {@code cancellation} is cancelled. */
  public List<Chunk> chunk(List<FileText> files, Cancellation cancellation) {
    List<Measured> measured = files.parallelStream().map(f -> {
      cancellation.check();
      return measure(f);
    }).filter(m -> !m.lines.isEmpty()).sorted(Comparator.comparing(Measured::path)).toList();
    List<Chunk> chunks = new ArrayList<>();
    if (measured.isEmpty()) return chunks;
    long[] prefix = new long[measured.size() + 1];
    for (int i = 0; i < measured.size(); i++) prefix[i + 1] = prefix[i] + measured.get(i).wholeTokens();
    pack(measured, prefix, 0, measured.size(), chunks);
    return chunks;
  }

  /**
   * Files {@code from..to} (in path order) become one chunk when they fit together. Otherwise the run is
   * cut in two before the file whose path hashes highest among those in its middle third, and each half
   * is packed the same way. A cut depends on paths and on the count of files only, never on their
   * sizes: when a file grows or shrinks, the only runs whose fate can change are those that hold it — a
   * run that held it and no longer fits splits in two, a run that now fits merges — so at most the chunk
   * that held it and one neighbour change, wherever the repository's other files are. Taking the middle
   * third keeps runs balanced (chunks are filled to about 60% of the budget on real repositories,
   * against about 85% for greedy packing, whose boundaries all shift behind a file that grows), and the
   * hash makes the cut survive files added or removed elsewhere in the run.
   */
  private void pack(List<Measured> files, long[] prefix, int from, int to, List<Chunk> out) {
    if (to - from == 1 && files.get(from).wholeTokens() > maxChunkTokens) {
      Packer own = new Packer();
      split(files.get(from), own);
      own.flush();
      out.addAll(own.chunks);
      return;
    }
    if (prefix[to] - prefix[from] <= maxChunkTokens) {
      List<ChunkPart> parts = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        Measured m = files.get(i);
        parts.add(new ChunkPart(m.path, 1, m.lines.size(), String.join("\n", m.lines)));
      }
      out.add(new Chunk(parts, (int) (prefix[to] - prefix[from])));
      return;
    }
    int n = to - from;
    int lo = from + Math.max(1, n / 3);
    int hi = Math.max(lo + 1, from + (2 * n + 2) / 3);
    int cut = lo;
    long best = Long.MIN_VALUE;
    for (int i = lo; i < Math.min(hi, to); i++) {
      long h = pathHash(files.get(i).path);
      if (h > best) {
        best = h;
        cut = i;
      }
    }
    pack(files, prefix, from, cut, out);
    pack(files, prefix, cut, to, out);
  }

  /** FNV-1a over the path's UTF-8 bytes, mixed: the same on every JVM and every run. */
  static long pathHash(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  private Measured measure(FileText file) {
    List<String> lines = splitLines(file.text(), false);
    int[] tokens = new int[lines.size()];
    long total = 0;
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = counter.count(numberedLine(i + 1, lines.get(i)));
      total += tokens[i];
    }
    int widest = Math.max(1, lines.size());
    int headerTokens = counter.count(header(file.path(), widest, widest));
    // A file that fits whole is counted with its own header, exactly as the model will see it.
    long whole = headerTokens + total > maxChunkTokens ? headerTokens + total
        : counter.count(header(file.path(), 1, Math.max(1, lines.size()))) + total;
    return new Measured(file.path(), lines, tokens, total, headerTokens, whole);
  }

  private void split(Measured m, Packer packer) {
    int room = maxChunkTokens - m.header;
    if (room < MIN_BUDGET / 4) {
      throw new IllegalArgumentException("the path of a file is too long for a chunk budget of " + maxChunkTokens
          + " tokens: " + m.path);
    }
    int parts = greedyPartCount(m.tokens, room);
    long target = Math.max(1, (m.total + parts - 1) / parts);
    int start = 0;
    long acc = 0;
    for (int i = 0; i < m.tokens.length; i++) {
      int t = m.tokens[i];
      if (t > room) {
        if (i > start) add(packer, part(m, start, i), acc);
        cutGiantLine(m, i, room, packer);
        start = i + 1;
        acc = 0;
        continue;
      }
      if (acc + t > room) {
        add(packer, part(m, start, i), acc);
        start = i;
        acc = 0;
      }
      acc += t;
      boolean atTarget = acc >= target;
      boolean niceCut = acc >= target * 17 / 20 && m.lines.get(i).isBlank();
      if ((atTarget || niceCut) && i + 1 < m.tokens.length) {
        add(packer, part(m, start, i + 1), acc);
        start = i + 1;
        acc = 0;
      }
    }
    if (start < m.tokens.length) add(packer, part(m, start, m.tokens.length), acc);
  }

  /** Adds a part counted with its own header: never more than the widest header its cut was planned with. */
  private void add(Packer packer, ChunkPart part, long codeTokens) {
    packer.add(part, counter.count(header(part.path(), part.startLine(), part.endLine())) + (int) codeTokens);
  }

  private static int greedyPartCount(int[] tokens, int room) {
    int parts = 1;
    long acc = 0;
    for (int t : tokens) {
      if (t > room) {
        parts += 2;
        acc = 0;
      } else if (acc + t > room) {
        parts++;
        acc = t;
      } else {
        acc += t;
      }
    }
    return parts;
  }

  /** Lines {@code from} (0-based, inclusive) to {@code to} (exclusive) as a part. */
  private static ChunkPart part(Measured m, int from, int to) {
    return new ChunkPart(m.path, from + 1, to, String.join("\n", m.lines.subList(from, to)));
  }

  /**
   * Splits one line longer than the budget into pieces that each fit, all carrying the line's number.
   * Each piece's length is guessed from the line's own characters-per-token ratio and corrected in a few
   * proportional steps, so a megabyte of minified code costs a handful of counts per piece, not a
   * bisection over the whole line. Every accepted piece has been counted and fits.
   */
  private void cutGiantLine(Measured m, int index, int room, Packer packer) {
    String line = m.lines.get(index);
    int lineNo = index + 1;
    double charsPerToken = line.length() / (double) Math.max(1, m.tokens[index]);
    int pos = 0;
    while (pos < line.length()) {
      int minimal = line.offsetByCodePoints(pos, 1);
      int best = minimal;
      int end = clamp(pos + (long) (room * charsPerToken * 0.95), minimal, line.length());
      for (int attempt = 0; attempt < 12; attempt++) {
        int tokens = pieceTokens(lineNo, line, pos, end);
        if (tokens <= room) {
          best = Math.max(best, end);
          if (end == line.length() || tokens > room * 0.95) break;
        }
        int next = clamp(pos + (long) ((end - pos) * (room * 0.97 / Math.max(1, tokens))), minimal, line.length());
        if (next == end || (tokens <= room && next <= best)) break;
        end = next;
      }
      if (best < line.length() && best - 1 > pos && Character.isHighSurrogate(line.charAt(best - 1))) best--;
      String piece = line.substring(pos, best);
      add(packer, new ChunkPart(m.path, lineNo, lineNo, piece), counter.count(numberedLine(lineNo, piece)));
      pos = best;
    }
  }

  private static int clamp(long value, int min, int max) {
    return (int) Math.max(min, Math.min(max, value));
  }

  private int pieceTokens(int lineNo, String line, int from, int to) {
    return counter.count(numberedLine(lineNo, line.substring(from, to)));
  }

  private static String numberedLine(int lineNo, String line) {
    return lineNo + "| " + line + "\n";
  }

  /** The lines of a file's text exactly as the chunker numbers them (a CR of a CRLF pair dropped). */
  public static List<String> lines(String text) {
    return splitLines(text, false);
  }

  /**
   * Lines of {@code text}. A final "\n" ends the last line rather than starting an empty one, unless
   * {@code keepTrailingEmpty} (a part's text is the join of its lines, so a trailing empty element is a
   * real empty line). A CR of a CRLF pair is dropped so stray Windows line ends never reach the model.
   */
  static List<String> splitLines(String text, boolean keepTrailingEmpty) {
    List<String> lines = new ArrayList<>();
    if (text.isEmpty()) {
      if (keepTrailingEmpty) lines.add("");
      return lines;
    }
    int start = 0;
    while (true) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (start < text.length() || keepTrailingEmpty) lines.add(text.substring(start));
        return lines;
      }
      int end = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      lines.add(text.substring(start, end));
      start = nl + 1;
    }
  }

  /** {@code wholeTokens}: the file as one part with its own header, or more than the budget when it must be split. */
  private record Measured(String path, List<String> lines, int[] tokens, long total, int header, long wholeTokens) {}

  /** Fills chunks with the parts of one long file in order; a part that does not fit the open chunk starts a new one. */
  private final class Packer {
    final List<Chunk> chunks = new ArrayList<>();
    private final List<ChunkPart> open = new ArrayList<>();
    private int openTokens;

    void add(ChunkPart part, int tokens) {
      if (!open.isEmpty() && openTokens + tokens > maxChunkTokens) flush();
      open.add(part);
      openTokens += tokens;
    }

    void flush() {
      if (open.isEmpty()) return;
      chunks.add(new Chunk(open, openTokens));
      open.clear();
      openTokens = 0;
    }
  }
}
