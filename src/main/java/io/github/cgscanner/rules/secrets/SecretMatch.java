package io.github.cgscanner.rules.secrets;

/**
 * A secret found in a file. {@code start}/{@code end} are char offsets into the text (end exclusive),
 * {@code line}/{@code endLine} the 1-based lines they fall on.
 */
public record SecretMatch(String type, int line, int endLine, int start, int end, Confidence confidence) {}
