package io.github.cgscanner.rules;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One way a rule recognises its issue: a pattern, the languages it applies to, what the argument after
 * the match must look like, what else the line (or file) must or must not contain, and {@code when}: a
 * test of the place it matched that needs more than the line (neighbouring lines, argument values).
 */
record Probe(
    Pattern pattern,
    Set<Lang> langs,
    Arg arg,
    Pattern requireOnLine,
    Pattern unlessOnLine,
    Pattern requireInFile,
    boolean multiline,
    Predicate<Site> when) {

  /** What the first argument after the match must be for the probe to fire. */
  enum Arg { ANY, VARIABLE_OR_BUILT, BUILT }

  static Probe of(String regex, Set<Lang> langs) {
    return new Probe(Pattern.compile(regex), langs, Arg.ANY, null, null, null, false, null);
  }

  static Set<Lang> all() {
    return EnumSet.allOf(Lang.class);
  }

  Probe arg(Arg a) {
    return new Probe(pattern, langs, a, requireOnLine, unlessOnLine, requireInFile, multiline, when);
  }

  Probe requireOnLine(String regex) {
    return new Probe(pattern, langs, arg, Pattern.compile(regex), unlessOnLine, requireInFile, multiline, when);
  }

  Probe unless(String regex) {
    return new Probe(pattern, langs, arg, requireOnLine, Pattern.compile(regex), requireInFile, multiline, when);
  }

  Probe requireInFile(String regex) {
    return new Probe(pattern, langs, arg, requireOnLine, unlessOnLine, Pattern.compile(regex), multiline, when);
  }

  /** Matched against the whole comment-free text, for issues that span lines. */
  Probe acrossLines() {
    return new Probe(pattern, langs, arg, requireOnLine, unlessOnLine, requireInFile, true, when);
  }

  /** Also require {@code test} of the place matched (combined with any earlier one). */
  Probe when(Predicate<Site> test) {
    Predicate<Site> both = when == null ? test : when.and(test);
    return new Probe(pattern, langs, arg, requireOnLine, unlessOnLine, requireInFile, multiline, both);
  }

  boolean argAccepts(String line, int from, Lang lang) {
    if (arg == Arg.ANY) return true;
    CallArgs.Shape shape = CallArgs.firstArg(line, from, lang);
    return shape == CallArgs.Shape.BUILT || (arg == Arg.VARIABLE_OR_BUILT && shape == CallArgs.Shape.VARIABLE);
  }
}
