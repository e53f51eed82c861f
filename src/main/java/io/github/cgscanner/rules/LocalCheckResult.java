package io.github.cgscanner.rules;

import io.github.cgscanner.domain.Finding;
import java.util.List;

/**
 * What the local checks make of one file: findings, the text with secrets masked (same line count as
 * the input, the only form of the file that may leave the machine) and rule matches to hint the model.
 */
public record LocalCheckResult(List<Finding> findings, String maskedText, List<RuleMatch> hints) {
  public LocalCheckResult {
    findings = List.copyOf(findings);
    hints = List.copyOf(hints);
  }
}
