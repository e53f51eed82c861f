package io.github.cgscanner.benchmark;

import io.github.cgscanner.rules.ConfigValues;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where things are in a checkout of OWASP Benchmark (or anything laid out like it): the
 * {@code expectedresults-*.csv} at its root and one {@code <test name>.java} per test case somewhere below.
 */
public final class BenchmarkLayout {
  /** @param tests each test case's source file; @param config configuration files */
  public record Sources(Map<String, String> tests, List<String> config) {}

  private static final Set<String> NOT_SOURCES = Set.of(".git", "target", "build", "node_modules", ".mvn");

  private BenchmarkLayout() {}

  /** The only {@code expectedresults-*.csv} directly in {@code dir}. */
  public static Path expectedResults(Path dir) throws IOException {
    List<Path> found;
    try (Stream<Path> s = Files.list(dir)) {
      found = s.filter(p -> p.getFileName().toString().matches("expectedresults-.*\\.csv") && Files.isRegularFile(p))
          .sorted().toList();
    }
    if (found.isEmpty()) throw new IllegalArgumentException("no expectedresults-*.csv in " + dir);
    if (found.size() > 1) {
      throw new IllegalArgumentException(found.size() + " expectedresults-*.csv files in " + dir + "; choose one with --expected");
    }
    return found.get(0);
  }

  /**
   * The source file of each named test case, and the configuration files the local checks read, relative
   * to {@code dir} with '/' separators.
   *
   * @throws IllegalArgumentException when a test case has no source file, or two
   */
  public static Sources sources(Path dir, Set<String> names) throws IOException {
    Map<String, String> tests = new HashMap<>();
    List<String> config = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        return !d.equals(dir) && NOT_SOURCES.contains(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
        String rel = dir.relativize(f).toString().replace('\\', '/');
        String name = f.getFileName().toString();
        String test = name.endsWith(".java") ? name.substring(0, name.length() - ".java".length()) : null;
        if (test != null && names.contains(test)) {
          if (tests.put(test, rel) != null) twice.add(test);
        } else if (ConfigValues.isConfigFile(rel)) {
          config.add(rel);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (!twice.isEmpty()) throw new IllegalArgumentException("test case " + twice.get(0) + " has more than one source file under " + dir);
    List<String> missing = names.stream().filter(n -> !tests.containsKey(n)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(missing.size() + " test case(s) have no source file under " + dir + " (first: "
          + missing.get(0) + ".java)");
    }
    return new Sources(Map.copyOf(tests), List.copyOf(config));
  }

  /**
   * Copies {@code sources} from {@code dir} to the empty directory {@code to}, at the same relative paths:
   * a scan of {@code to} then reviews exactly the selected test cases, under their own paths.
   */
  public static void copy(Path dir, Sources sources, Path to) throws IOException {
    List<String> all = new ArrayList<>(sources.tests().values());
    all.addAll(sources.config());
    for (String rel : all) {
      Path target = to.resolve(rel);
      Files.createDirectories(target.getParent());
      Files.copy(dir.resolve(rel), target);
    }
  }

  /** Deletes {@code dir} and everything below it. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
