package io.github.cgscanner.rules;

import java.util.Arrays;

/** Maps char offsets of a text to 1-based line numbers. */
final class LineIndex {
  private final int[] starts;
  private final int count;

  LineIndex(String text) {
    int[] s = new int[16];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        if (n == s.length) s = Arrays.copyOf(s, n * 2);
        s[n++] = i + 1;
      }
    }
    starts = s;
    count = n;
  }

  int lineOf(int offset) {
    int i = Arrays.binarySearch(starts, 0, count, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** The last line a [start, end) span touches; an empty span stays on its start line. */
  int endLineOf(int start, int end) {
    return lineOf(Math.max(start, end - 1));
  }
}
