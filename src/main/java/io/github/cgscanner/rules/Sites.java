package io.github.cgscanner.rules;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Tests of the place a probe matched, for {@link Probe#when}. */
final class Sites {
  private Sites() {}

  /** {@code regex} occurs within {@code before} lines above to {@code after} lines below (code and strings, not comments). */
  static Predicate<Site> nearby(String regex, int before, int after) {
    Pattern p = Pattern.compile(regex);
    return s -> p.matcher(s.file().window(s.line(), before, after)).find();
  }

  /**
   * Argument {@code index} of the call the match opens can be a value matching {@code regex} (whole,
   * case-insensitively): a literal, a name holding one, or a configuration key the repository sets to one.
   */
  static Predicate<Site> argumentValue(int index, String regex) {
    Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    return s -> {
      List<String> args = s.arguments();
      if (args == null || args.size() <= index) return false;
      return s.file().constants().resolve(args.get(index)).values().stream().anyMatch(v -> p.matcher(v.strip()).matches());
    };
  }

  /** Some argument of the call the match opens is not known to be constant. */
  static Predicate<Site> someArgumentVariable() {
    return s -> {
      List<String> args = s.arguments();
      if (args == null) return true;
      Constants constants = s.file().constants();
      return args.stream().anyMatch(a -> !constants.resolve(a).complete());
    };
  }

  /**
   * The expression starting at the match (a string literal) adds to it something not known to be constant.
   * A literal not followed by any '+' is judged by the rest of the line, as before this test existed.
   */
  static Predicate<Site> concatenatesVariable() {
    return s -> {
      String text = s.file().text;
      int from = s.file().offset(s.line(), s.start());
      List<String> operands = Expressions.split(text.substring(from, Expressions.end(text, from)), '+');
      if (operands.size() < 2) return true;
      Constants constants = s.file().constants();
      return operands.stream().anyMatch(o -> !constants.resolve(o).complete());
    };
  }

  /** The file (code and strings, not comments) holds no match of {@code regex}. */
  static Predicate<Site> notInFile(String regex) {
    Pattern p = Pattern.compile(regex);
    return s -> !p.matcher(s.file().text).find();
  }
}
