package io.github.cgscanner.rules.secrets;

/** The make-up of a candidate value: character classes, variety and Shannon entropy. */
final class Shape {
  final int length;
  final int upper;
  final int lower;
  final int digits;
  final int symbols;
  final int spaces;
  final int distinct;
  final int longestRun;
  final boolean hex;
  final double entropy;
  /** Places where a character follows the one before it in code order (abc, 123). */
  final int steps;
  /** Runs of letters, a new one also where a lower-case letter is followed by an upper-case one. */
  final int letterWords;

  private Shape(CharSequence s, int from, int to) {
    int[] counts = new int[128];
    int up = 0;
    int lo = 0;
    int di = 0;
    int sy = 0;
    int sp = 0;
    int dist = 0;
    int run = 0;
    int longest = 0;
    int other = 0;
    boolean allHex = to > from;
    char prev = 0;
    int st = 0;
    int lw = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int k = kind(c);
      if (k <= 2 && (i == from || kind(prev) > 2 || k == 1 && kind(prev) == 2)) lw++;
      if (i > from) {
        if (c == prev + 1) st++;
      }
      run = c == prev ? run + 1 : 1;
      longest = Math.max(longest, run);
      prev = c;
      if (c < 128) {
        if (counts[c]++ == 0) dist++;
      } else {
        other++;
      }
      if (c >= 'A' && c <= 'Z') up++;
      else if (c >= 'a' && c <= 'z') lo++;
      else if (c >= '0' && c <= '9') di++;
      else if (Character.isWhitespace(c)) sp++;
      else sy++;
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) allHex = false;
    }
    int n = to - from;
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * Math.log(p);
      }
    }
    if (other > 0) {
      double p = (double) other / n;
      h -= p * Math.log(p);
      dist++;
    }
    length = n;
    upper = up;
    lower = lo;
    digits = di;
    symbols = sy;
    spaces = sp;
    distinct = dist;
    longestRun = longest;
    hex = allHex;
    entropy = n == 0 ? 0 : h / Math.log(2);
    steps = st;
    letterWords = lw;
  }

  /** 1 upper, 2 lower, 3 digit, 4 other; upper then lower ("Word") is one word, not a switch. */
  private static int kind(char c) {
    if (c >= 'A' && c <= 'Z') return 1;
    if (c >= 'a' && c <= 'z') return 2;
    if (c >= '0' && c <= '9') return 3;
    return 4;
  }

  static Shape of(CharSequence s) {
    return new Shape(s, 0, s.length());
  }

  static Shape of(CharSequence s, int from, int to) {
    return new Shape(s, from, to);
  }

  int letters() {
    return upper + lower;
  }

  /** How many of upper, lower, digit and symbol occur. */
  int classes() {
    return (upper > 0 ? 1 : 0) + (lower > 0 ? 1 : 0) + (digits > 0 ? 1 : 0) + (symbols > 0 ? 1 : 0);
  }

  boolean lettersOnly() {
    return letters() == length;
  }

  boolean digitsOnly() {
    return digits == length;
  }

  /** Few distinct characters or one repeated at length: keyboard filler, not generated. */
  boolean lowVariety() {
    return distinct <= (length < 8 ? 2 : 3) || longestRun >= 6 || (length >= 12 && distinct * 3 < length && entropy < 2.5);
  }

  /** Counting up: 12345678, abcdefgh, 0123456789abcdef. */
  boolean sequential() {
    return length >= 8 && steps * 10 >= (length - 1) * 6;
  }

  /** Nothing but counting up: 12345678, abcdefgh. */
  boolean fullySequential() {
    return length >= 6 && steps * 10 >= (length - 1) * 9;
  }

  /** Letters in words of four or more and no digit: words run together (camelCase, snake_case), not noise. */
  boolean wordy() {
    return digits == 0 && letters() >= 4 * Math.max(1, letterWords);
  }

  /** What a generator of random keys would produce: long, varied, high entropy. */
  boolean random(int minLength) {
    if (length < minLength || spaces > 0 || lowVariety() || wordy() || sequential()) return false;
    if (hex) return length >= 16 && entropy >= 2.8 && digits > 0 && letters() > 0;
    return entropy >= (length >= 24 ? 3.6 : 3.0) && classes() >= 2 && digits + upper > 0;
  }
}
