package io.github.cgscanner.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineOrdinalsTest {
  @Test
  void identicalTextsAfterNormalisationCountTogether() {
    assertArrayEquals(new int[] {0, 0, 1, 2, 1}, LineOrdinals.of(List.of("}", "x = 1;", "  }", "}\t", "x  =  1;")));
    assertEquals("a b c", FindingIds.normalise("\t a \n b  c\r"));
  }

  @Test
  void partsCarryWhatTheWholeFileWouldSay() {
    Random random = new Random(5);
    List<String> file = new ArrayList<>();
    String[] vocabulary = {"}", "return x;", "  i++;", "", "call();", "x = y;"};
    for (int i = 0; i < 400; i++) file.add(vocabulary[random.nextInt(vocabulary.length)] + (random.nextInt(4) == 0 ? " // " + i : ""));
    int[] whole = LineOrdinals.of(file);
    LineOrdinals.Tracker tracker = new LineOrdinals.Tracker();
    int start = 1;
    int carried = 0;
    while (start <= file.size()) {
      int end = Math.min(file.size(), start + 20 + random.nextInt(80));
      List<String> part = file.subList(start - 1, end);
      List<Integer> seenBefore = tracker.next(part, start);
      carried += seenBefore.size() / 2;
      for (int line = start; line <= end; line++) {
        assertEquals(whole[line - 1], LineOrdinals.ordinal(part, start, seenBefore, line), "line " + line);
      }
      int from = part.size() / 3;
      List<Integer> sliced = LineOrdinals.slice(part, start, seenBefore, from, part.size());
      for (int line = start + from; line <= end; line++) {
        assertEquals(whole[line - 1], LineOrdinals.ordinal(part.subList(from, part.size()), start + from, sliced, line));
      }
      start = end + 1;
    }
    assertEquals(true, carried < 10 * vocabulary.length, "a pair per repeated text and part, not per line: " + carried);
  }
}
