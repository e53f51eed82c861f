package io.github.cgscanner.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The .gitignore files in effect during a depth-first walk. As in git, the deepest file with a matching
 * rule decides, and the last matching rule within a file wins (so {@code !} can re-include).
 */
final class GitIgnores {
  private record Level(String dir, IgnoreNode rules) {}

  private final Deque<Level> levels = new ArrayDeque<>();

  /** Loads {@code dir/.gitignore} if it is a regular file (a symlinked one is not followed). */
  void enter(String relDir, Path dir) throws IOException {
    Path file = dir.resolve(".gitignore");
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return;
    IgnoreNode node = new IgnoreNode();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      node.parse(in);
    }
    levels.push(new Level(relDir, node));
  }

  void leave(String relDir) {
    if (!levels.isEmpty() && levels.peek().dir().equals(relDir)) levels.pop();
  }

  boolean isIgnored(String relPath, boolean directory) {
    for (Level level : levels) {
      String sub = level.dir().isEmpty() ? relPath : relPath.substring(level.dir().length() + 1);
      Boolean ignored = level.rules().checkIgnored(sub, directory);
      if (ignored != null) return ignored;
    }
    return false;
  }
}
