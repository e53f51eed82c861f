package io.github.cgscanner.benchmark;

import java.util.List;

/**
 * Which test cases a run scores. Rules are tuned on the cases whose number is divisible by 5 and judged
 * on the others, so that a figure measured on {@code others} says how well they generalise.
 */
public enum CaseSelection {
  DIVISIBLE_BY_5("divisible-by-5"), OTHERS("others"), ALL("all");

  private final String wire;

  CaseSelection(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static CaseSelection parse(String s) {
    for (CaseSelection c : values()) {
      if (c.wire.equals(s)) return c;
    }
    throw new IllegalArgumentException("--cases must be divisible-by-5, others or all, not '" + s + "'");
  }

  public boolean includes(ExpectedResults.TestCase c) {
    return switch (this) {
      case DIVISIBLE_BY_5 -> c.number() % 5 == 0;
      case OTHERS -> c.number() % 5 != 0;
      case ALL -> true;
    };
  }

  public List<ExpectedResults.TestCase> select(List<ExpectedResults.TestCase> cases) {
    return cases.stream().filter(this::includes).toList();
  }
}
