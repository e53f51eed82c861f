package io.github.cgscanner.rules;

/**
 * A {@code key = value} found on one line. Offsets are into the whole text; {@code quoted} tells a
 * string literal from a bare config value; {@code before} is the character in front of the key.
 */
record Assignment(String key, String value, int valueStart, int valueEnd, boolean quoted, char before) {}
