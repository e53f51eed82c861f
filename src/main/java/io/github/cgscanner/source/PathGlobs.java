package io.github.cgscanner.source;

import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * The user's include/exclude globs, with gitignore semantics so they read the same as a .gitignore: a
 * pattern without '/' ({@code *.py}) matches at any depth, {@code **} spans directories, and a pattern
 * naming a directory ({@code docs}, {@code src/}) covers everything below it.
 */
final class PathGlobs {
  private final List<FastIgnoreRule> rules;

  PathGlobs(List<String> patterns) {
    this.rules = patterns == null ? List.of() : patterns.stream().map(p -> new FastIgnoreRule(p.strip())).toList();
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  boolean matches(String relativePath) {
    return rules.stream().anyMatch(r -> !r.isEmpty() && r.isMatch(relativePath, false, false));
  }
}
