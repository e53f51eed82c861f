package io.github.cgscanner.rules;

import java.util.HashMap;
import java.util.Map;

final class Entropy {
  private Entropy() {}

  /** Shannon entropy in bits per character. */
  static double shannon(CharSequence s) {
    if (s.length() == 0) return 0;
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < s.length(); i++) counts.merge(s.charAt(i), 1, Integer::sum);
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / s.length();
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }
}
