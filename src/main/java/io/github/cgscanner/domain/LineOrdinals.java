package io.github.cgscanner.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordinal of a line's normalised text among the lines of its file with the same text: 0 for its
 * first occurrence, 1 for the next, and so on. Part of a finding id, so an id can be final when the
 * finding is first streamed.
 *
 * <p>The coordinator holds only the lines of a task's parts, not whole files, so each part carries
 * {@code seenBefore}: flat pairs (line, ordinal) for the first line in the part of each text that also
 * occurs earlier in the file. A part that is a whole file carries nothing; a later part of a long file
 * carries one pair per distinct repeated text (closing braces, blank-ish lines, repeated calls), and
 * every other ordinal follows from the part's own lines.
 */
public final class LineOrdinals {
  private LineOrdinals() {}

  /** The ordinal of every line of a whole file, in order. */
  public static int[] of(List<String> lines) {
    Map<String, Integer> seen = new HashMap<>();
    int[] out = new int[lines.size()];
    for (int i = 0; i < out.length; i++) out[i] = seen.merge(FindingIds.normalise(lines.get(i)), 1, Integer::sum) - 1;
    return out;
  }

  /**
   * Follows one file through its parts, in order, and tells each part what it must carry.
   * Not thread-safe; one per file.
   */
  public static final class Tracker {
    private final Map<String, Integer> seen = new HashMap<>();

    /** @return the {@code seenBefore} pairs of a part of {@code lines} starting at {@code startLine} */
    public List<Integer> next(List<String> lines, int startLine) {
      List<Integer> pairs = new ArrayList<>();
      Map<String, Integer> inPart = new HashMap<>();
      for (int i = 0; i < lines.size(); i++) {
        String text = FindingIds.normalise(lines.get(i));
        if (inPart.merge(text, 1, Integer::sum) == 1) {
          int before = seen.getOrDefault(text, 0);
          if (before > 0) {
            pairs.add(startLine + i);
            pairs.add(before);
          }
        }
      }
      inPart.forEach((text, n) -> seen.merge(text, n, Integer::sum));
      return List.copyOf(pairs);
    }
  }

  /**
   * The ordinal in its file of line {@code line} of a part.
   *
   * @param lines the part's lines, the first being {@code startLine}
   * @param seenBefore the part's pairs, see {@link Tracker#next}
   */
  public static int ordinal(List<String> lines, int startLine, List<Integer> seenBefore, int line) {
    int index = line - startLine;
    if (index < 0 || index >= lines.size()) throw new IllegalArgumentException("line " + line + " is not in the part");
    String text = FindingIds.normalise(lines.get(index));
    int firstLine = -1;
    int earlier = 0;
    for (int i = 0; i < index; i++) {
      if (FindingIds.normalise(lines.get(i)).equals(text)) {
        if (firstLine < 0) firstLine = startLine + i;
        earlier++;
      }
    }
    if (firstLine < 0) firstLine = line;
    for (int p = 0; p + 1 < seenBefore.size(); p += 2) {
      if (seenBefore.get(p) == firstLine) return seenBefore.get(p + 1) + earlier;
    }
    return earlier;
  }

  /** The pairs of the sub-part {@code from..to} (indexes into {@code lines}, {@code to} exclusive) of a part. */
  public static List<Integer> slice(List<String> lines, int startLine, List<Integer> seenBefore, int from, int to) {
    Map<Integer, Integer> carried = new HashMap<>();
    for (int p = 0; p + 1 < seenBefore.size(); p += 2) carried.put(seenBefore.get(p), seenBefore.get(p + 1));
    Map<String, Integer> firstOrdinal = new HashMap<>();
    Map<String, Integer> count = new HashMap<>();
    Map<String, Boolean> inSlice = new HashMap<>();
    List<Integer> pairs = new ArrayList<>();
    for (int i = 0; i < to; i++) {
      String text = FindingIds.normalise(lines.get(i));
      int earlier = count.merge(text, 1, Integer::sum) - 1;
      if (earlier == 0) firstOrdinal.put(text, carried.getOrDefault(startLine + i, 0));
      int ordinal = firstOrdinal.get(text) + earlier;
      if (i >= from && inSlice.putIfAbsent(text, true) == null && ordinal > 0) {
        pairs.add(startLine + i);
        pairs.add(ordinal);
      }
    }
    return List.copyOf(pairs);
  }
}
