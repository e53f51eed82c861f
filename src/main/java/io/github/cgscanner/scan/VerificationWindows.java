package io.github.cgscanner.scan;

import io.github.cgscanner.chunk.Chunker;
import io.github.cgscanner.chunk.TokenCounter;
import io.github.cgscanner.protocol.ReviewTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What each verification request of one file shows. A file that fits the budget is shown whole, with
 * up to {@value #MAX_FINDINGS_PER_REQUEST} findings per request (so that the answer stays short). A longer
 * file is cut into windows: findings close enough to share one window go together, each window grows
 * around its findings until the budget is used, and the file's first lines (imports, constants, the
 * fields a check may use) come along in up to a tenth of it. Lines are numbered as in the review, so
 * a finding means the same lines in both passes. Pure: runs on the blocking pool (it counts tokens).
 */
final class VerificationWindows {
  static final int MAX_FINDINGS_PER_REQUEST = 20;
  private static final double HEAD_SHARE = 0.1;

  /** One request: its parts of the file, the findings it asks about, its tokens (code and findings). */
  record Window(List<ReviewTask.Part> parts, List<ReviewTask.VerifyItem> items, long tokens) {}

  /** {@code tooLong}: findings whose own lines do not fit a request. */
  record Plan(List<Window> windows, List<ReviewTask.VerifyItem> tooLong) {}

  private final String path;
  private final List<String> lines;
  private final List<ReviewTask.Hint> hints;
  private final long[] prefix;
  private final int header;
  private final int budget;
  private final TokenCounter counter;

  private VerificationWindows(String path, String text, List<ReviewTask.Hint> hints, int budget, TokenCounter counter) {
    this.path = path;
    this.lines = Chunker.lines(text);
    this.hints = hints;
    this.budget = budget;
    this.counter = counter;
    this.prefix = new long[lines.size() + 1];
    for (int i = 0; i < lines.size(); i++) prefix[i + 1] = prefix[i] + counter.count((i + 1) + "| " + lines.get(i) + "\n");
    int widest = Math.max(1, lines.size());
    this.header = counter.count(Chunker.header(path, widest, widest));
  }

  /** @param budget tokens a request may spend on code and findings */
  static Plan plan(String path, String text, List<ReviewTask.Hint> hints, List<ReviewTask.VerifyItem> items, int budget,
      TokenCounter counter) {
    return new VerificationWindows(path, text, hints, budget, counter).plan(items);
  }

  private Plan plan(List<ReviewTask.VerifyItem> items) {
    List<ReviewTask.VerifyItem> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingInt(ReviewTask.VerifyItem::startLine));
    List<Window> windows = new ArrayList<>();
    List<ReviewTask.VerifyItem> tooLong = new ArrayList<>();
    int n = lines.size();
    if (n == 0) return new Plan(windows, List.copyOf(sorted));
    Group group = null;
    List<Group> groups = new ArrayList<>();
    for (ReviewTask.VerifyItem item : sorted) {
      int s = clampLine(item.startLine());
      int e = Math.max(s, clampLine(item.endLine()));
      long t = counter.count(item.toJson().encode()) + 1;
      if (group != null && group.items.size() < MAX_FINDINGS_PER_REQUEST
          && header + range(Math.min(group.from, s), Math.max(group.to, e)) + group.itemTokens + t <= budget) {
        group.add(item, s, e, t);
        continue;
      }
      if (header + range(s, e) + t > budget) {
        tooLong.add(item);
        continue;
      }
      group = new Group(item, s, e, t);
      groups.add(group);
    }
    for (Group g : groups) windows.add(window(g));
    return new Plan(List.copyOf(windows), List.copyOf(tooLong));
  }

  /** The group's lines, grown to fill the budget: the whole file when it fits, else the head and a window around them. */
  private Window window(Group g) {
    int n = lines.size();
    long room = budget - g.itemTokens;
    if (header + range(1, n) <= room) {
      return new Window(List.of(part(1, n)), List.copyOf(g.items), header + range(1, n) + g.itemTokens);
    }
    int from = g.from;
    int to = g.to;
    long left = room - header - range(from, to);
    int head = 0;
    long headCost = 0;
    if (from > 1) {
      long headBudget = (long) (room * HEAD_SHARE);
      while (head + 1 < from && header + range(1, head + 1) <= Math.min(headBudget, left)) head++;
      if (head > 0) {
        headCost = header + range(1, head);
        left -= headCost;
      }
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      if (from - 1 > head && tokens(from - 1) <= left) {
        left -= tokens(--from);
        grew = true;
      }
      if (to + 1 <= n && tokens(to + 1) <= left) {
        left -= tokens(++to);
        grew = true;
      }
    }
    List<ReviewTask.Part> parts = new ArrayList<>();
    if (head > 0 && head + 1 == from) {
      parts.add(part(1, to));
    } else {
      if (head > 0) parts.add(part(1, head));
      parts.add(part(from, to));
    }
    return new Window(List.copyOf(parts), List.copyOf(g.items), room - left + g.itemTokens);
  }

  private ReviewTask.Part part(int from, int to) {
    List<ReviewTask.Hint> inside = hints.stream().filter(h -> h.line() >= from && h.line() <= to).toList();
    return new ReviewTask.Part(path, from, to, String.join("\n", lines.subList(from - 1, to)), inside);
  }

  private int clampLine(int line) {
    return Math.max(1, Math.min(lines.size(), line));
  }

  /** Tokens of lines {@code from..to} (1-based, inclusive). */
  private long range(int from, int to) {
    return prefix[to] - prefix[from - 1];
  }

  private long tokens(int line) {
    return prefix[line] - prefix[line - 1];
  }

  private static final class Group {
    final List<ReviewTask.VerifyItem> items = new ArrayList<>();
    int from;
    int to;
    long itemTokens;

    Group(ReviewTask.VerifyItem item, int from, int to, long tokens) {
      this.from = from;
      this.to = to;
      items.add(item);
      itemTokens = tokens;
    }

    void add(ReviewTask.VerifyItem item, int s, int e, long tokens) {
      items.add(item);
      from = Math.min(from, s);
      to = Math.max(to, e);
      itemTokens += tokens;
    }
  }
}
