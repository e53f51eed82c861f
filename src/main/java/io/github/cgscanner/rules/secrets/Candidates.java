package io.github.cgscanner.rules.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the detectors propose for one file, before overlaps are settled: where several cover the same
 * characters, the one of lowest {@code priority} (the most specific detector) is kept.
 */
final class Candidates {
  static final int KEY_BLOCK = 0;
  static final int FORMAT = 1;
  static final int STRUCTURED = 2;
  static final int NAMED = 3;
  static final int SHAPE_ONLY = 4;

  record Candidate(String type, int start, int end, int priority, Confidence confidence) {}

  private final List<Candidate> found = new ArrayList<>();

  void add(String type, int start, int end, int priority, Confidence confidence) {
    if (end > start) found.add(new Candidate(type, start, end, priority, confidence));
  }

  List<Candidate> resolve() {
    found.sort(Comparator.comparingInt(Candidate::priority).thenComparingInt(Candidate::start));
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : found) {
      boolean overlaps = false;
      for (Candidate k : kept) {
        if (k.start() < c.end() && c.start() < k.end()) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) kept.add(c);
    }
    kept.sort(Comparator.comparingInt(Candidate::start));
    return kept;
  }
}
