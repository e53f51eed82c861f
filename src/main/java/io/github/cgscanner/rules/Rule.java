package io.github.cgscanner.rules;

import io.github.cgscanner.domain.Severity;
import java.util.List;

/**
 * A local rule. {@code onRawText} rules read comments and strings too (prompt injection hides there);
 * the others read code with comments blanked. {@code needles} are lower-case literals of which every
 * match holds at least one: lines holding none are skipped without running any pattern.
 */
record Rule(
    String name,
    String cwe,
    Severity severity,
    String confidence,
    String title,
    String description,
    String recommendation,
    boolean onRawText,
    List<String> needles,
    List<Probe> probes) {

  boolean mayMatch(String lowerCaseText) {
    for (String n : needles) {
      if (lowerCaseText.contains(n)) return true;
    }
    return false;
  }

  RuleMatch match(int line, int endLine) {
    return new RuleMatch(name, cwe, severity, confidence, title, description, recommendation, line, endLine);
  }
}
