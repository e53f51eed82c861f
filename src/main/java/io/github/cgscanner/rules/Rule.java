package io.github.cgscanner.rules;

import io.github.cgscanner.scan.Severity;
import java.util.List;

/**
 * A local rule. {@code onRawText} rules read comments and strings too (prompt injection hides there);
 * the others read code with comments blanked.
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
    List<Probe> probes) {

  RuleMatch match(int line, int endLine) {
    return new RuleMatch(name, cwe, severity, confidence, title, description, recommendation, line, endLine);
  }
}
