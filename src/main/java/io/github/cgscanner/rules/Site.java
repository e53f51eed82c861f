package io.github.cgscanner.rules;

import java.util.List;

/** Where a probe's pattern matched: line {@code line} (0-based) of {@code file}, the match ending at column {@code end}. */
record Site(CodeFile file, int line, int start, int end) {

  /** The arguments of the call whose '(' ends the match; null when unreadable. */
  List<String> arguments() {
    return Expressions.arguments(file.text, file.offset(line, end));
  }
}
