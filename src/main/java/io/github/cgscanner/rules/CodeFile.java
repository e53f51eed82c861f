package io.github.cgscanner.rules;

/**
 * One file as the rules read it: its comment-free lines (string literals kept, and where they are), the
 * same as one text with each line's offset, and, computed only when a rule asks, what its names hold.
 */
final class CodeFile {
  final Lang lang;
  final CodeLines code;
  final String text;
  private final int[] starts;
  private final ConfigValues config;
  private Constants constants;

  CodeFile(Lang lang, CodeLines code, ConfigValues config) {
    this.lang = lang;
    this.code = code;
    this.text = String.join("\n", code.lines());
    this.config = config;
    starts = new int[code.lines().length];
    for (int n = 1; n < starts.length; n++) starts[n] = starts[n - 1] + code.lines()[n - 1].length() + 1;
  }

  /** The offset in {@link #text} of column {@code column} of line {@code line} (0-based). */
  int offset(int line, int column) {
    return starts[line] + column;
  }

  Constants constants() {
    if (constants == null) constants = new Constants(text, lang, config);
    return constants;
  }

  /** Lines {@code line - before} to {@code line + after} (0-based, clipped to the file), joined. */
  String window(int line, int before, int after) {
    int from = Math.max(0, line - before);
    int to = Math.min(code.lines().length - 1, line + after);
    return text.substring(starts[from], starts[to] + code.lines()[to].length());
  }
}
