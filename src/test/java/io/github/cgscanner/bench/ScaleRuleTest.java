package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bench's autoscaling rule: the HPA's AverageValue formula, a stabilization window, one replica down per period. */
class ScaleRuleTest {
  @Test
  void scalesUpAtOnceAndDownOnePerPeriodAfterTheWindow() {
    ScaleRule rule = new ScaleRule(2, 2, 5, 10_000, 15_000);
    assertEquals(2, rule.decide(0, 0, 2), "never below the minimum");
    assertEquals(3, rule.decide(1_000, 5, 2), "ceil(5 / 2)");
    assertEquals(5, rule.decide(2_000, 40, 3), "never above the maximum");
    assertEquals(5, rule.decide(5_000, 0, 5), "the window still holds the 5 asked for at 2 s");
    assertEquals(4, rule.decide(12_500, 0, 5), "the window has passed: one down");
    rule.scaledDown(12_500);
    assertEquals(4, rule.decide(20_000, 0, 4), "not within the period");
    assertEquals(3, rule.decide(28_000, 0, 4), "one period later");
  }
}
