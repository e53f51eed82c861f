package io.github.cgscanner.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private final TokenCounter counter = TokenCounter.shared();

  @Test
  void sharedInstanceCountsO200kTokens() {
    assertSame(counter, TokenCounter.shared());
    assertEquals(0, counter.count(""));
    assertEquals(0, counter.count(null));
    assertEquals(2, counter.count("hello world"), "o200k_base: 'hello', ' world'");
  }

  @Test
  void specialTokensAreOrdinaryText() {
    assertTrue(counter.count("<|endoftext|>") > 1, "must not collapse into one special token");
    assertTrue(counter.count("<|im_start|><|im_end|><|endofprompt|>") > 3);
  }

  @Test
  void countsAgreeAcrossThreads() {
    List<String> texts = IntStream.range(0, 2000).mapToObj(i -> "line " + i + " = f(\"" + "x".repeat(i % 97) + "\");").toList();
    List<Integer> sequential = texts.stream().map(counter::count).toList();
    assertEquals(sequential, texts.parallelStream().map(counter::count).toList());
  }
}
