package io.github.cgscanner.rules;

import io.github.cgscanner.domain.Severity;

/** A local rule that fired on lines {@code line}..{@code endLine} (1-based) of a file. */
public record RuleMatch(
    String rule,
    String cwe,
    Severity severity,
    String confidence,
    String title,
    String description,
    String recommendation,
    int line,
    int endLine) {}
