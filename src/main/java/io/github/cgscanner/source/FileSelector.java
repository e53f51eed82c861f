package io.github.cgscanner.source;

import io.github.cgscanner.domain.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Chooses which files of a fetched tree the model reviews, which only the local checks read, and which
 * only the secrets check reads. Walks without following any symlink. Every file not reviewed is counted
 * under one reason, so the totals add up; files inside skipped directories are counted under the
 * directory's reason. Skip rules (dependency and build folders, .gitignore, excludes, size) keep files from
 * the model and the rules, not from the secrets check: every text file outside version-control metadata
 * up to {@link #SECRETS_MAX_BYTES} is read for secrets.
 */
public final class FileSelector {
  static final int HEAD_BYTES = 8 * 1024;
  static final int MAX_AVERAGE_LINE = 500;
  /** The largest file the secrets check reads when the file is not selected (selected ones are under maxFileBytes). */
  static final long SECRETS_MAX_BYTES = 8L * 1024 * 1024;

  private final long maxFileBytes;

  public FileSelector(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  public Selection select(Path root, List<String> include, List<String> exclude) {
    return select(root, include, exclude, Cancellation.never());
  }

  /** As {@link #select(Path, List, List)}, stopping between files once {@code cancellation} is cancelled. */
  public Selection select(Path root, List<String> include, List<String> exclude, Cancellation cancellation) {
    Walk walk = new Walk(root, new PathGlobs(include), new PathGlobs(exclude), cancellation);
    try {
      Files.walkFileTree(root, walk);
    } catch (IOException e) {
      throw new SourceFailure(SourceFailure.SOURCE_UNAVAILABLE, "the source tree cannot be read");
    }
    walk.review.sort(Comparator.comparing(SelectedFile::path));
    walk.localOnly.sort(Comparator.comparing(SelectedFile::path));
    walk.secretsOnly.sort(Comparator.comparing(SelectedFile::path));
    return new Selection(List.copyOf(walk.review), List.copyOf(walk.localOnly), List.copyOf(walk.secretsOnly),
        Collections.unmodifiableSortedMap(walk.skipped));
  }

  private final class Walk extends SimpleFileVisitor<Path> {
    final List<SelectedFile> review = new ArrayList<>();
    final List<SelectedFile> localOnly = new ArrayList<>();
    final List<SelectedFile> secretsOnly = new ArrayList<>();
    final SortedMap<String, Integer> skipped = new TreeMap<>();
    private final Path root;
    private final PathGlobs include;
    private final PathGlobs exclude;
    private final GitIgnores ignores = new GitIgnores();
    /** The reason inherited from a skipped ancestor directory, or empty. */
    private final Deque<Optional<String>> dirReasons = new ArrayDeque<>();
    private final Cancellation cancellation;

    Walk(Path root, PathGlobs include, PathGlobs exclude, Cancellation cancellation) {
      this.cancellation = cancellation;
      this.root = root;
      this.include = include;
      this.exclude = exclude;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
      String rel = relative(dir);
      Optional<String> reason = rel.isEmpty()
          ? Optional.empty()
          : dirReasons.peek().or(() -> Optional.ofNullable(directoryReason(dir.getFileName().toString(), rel)));
      dirReasons.push(reason);
      if (reason.isEmpty()) ignores.enter(rel, dir);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
      if (dirReasons.pop().isEmpty()) ignores.leave(relative(dir));
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      cancellation.check();
      Optional<String> inherited = dirReasons.peek();
      if (inherited.isPresent()) {
        skip(inherited.get());
        if (!inherited.get().equals("vcs")) secretsOnly(file, relative(file), attrs);
      } else {
        classify(file, relative(file), attrs);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      skip(dirReasons.isEmpty() ? "unreadable" : dirReasons.peek().orElse("unreadable"));
      return FileVisitResult.CONTINUE;
    }

    private String directoryReason(String name, String rel) {
      if (FileKinds.VCS_DIRS.contains(name)) return "vcs";
      if (FileKinds.DEPENDENCY_DIRS.contains(name)) return "dependency_dir";
      if (FileKinds.BUILD_DIRS.contains(name)) return "build_output";
      if (ignores.isIgnored(rel, true)) return "gitignored";
      return null;
    }

    private void classify(Path file, String rel, BasicFileAttributes attrs) throws IOException {
      String name = file.getFileName().toString();
      long size = attrs.size();
      if (attrs.isSymbolicLink()) {
        skip("symlink");
      } else if (!attrs.isRegularFile()) {
        skip("special_file");
      } else if (ignores.isIgnored(rel, false)) {
        skip("gitignored");
        secretsOnly(file, rel, attrs);
      } else if (exclude.matches(rel) || (!include.isEmpty() && !include.matches(rel))) {
        skip("excluded");
        secretsOnly(file, rel, attrs);
      } else if (FileKinds.isBinaryByName(name)) {
        skip("binary");
      } else if (FileKinds.isLockFile(name)) {
        localOnly("lockfile", file, rel, attrs);
      } else if (FileKinds.isMinifiedByName(name)) {
        localOnly("minified", file, rel, attrs);
      } else if (size > maxFileBytes) {
        skip("too_large");
        secretsOnly(file, rel, attrs);
      } else {
        classifyByContent(file, rel, name, size);
      }
    }

    private void classifyByContent(Path file, String rel, String name, long size) throws IOException {
      byte[] head = new byte[HEAD_BYTES];
      int n;
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (FileKinds.hasNul(head, n)) {
        skip("binary");
      } else if (!FileKinds.isSource(rel, name, head, n)) {
        localOnly.add(new SelectedFile(rel, file, size));
        skip("not_source");
      } else if (size > MAX_AVERAGE_LINE && averageLineLength(file, size) > MAX_AVERAGE_LINE) {
        localOnly.add(new SelectedFile(rel, file, size));
        skip("minified");
      } else {
        review.add(new SelectedFile(rel, file, size));
      }
    }

    /** Recognised by name, so only files small enough and really text reach the local checks. */
    private void localOnly(String reason, Path file, String rel, BasicFileAttributes attrs) throws IOException {
      skip(reason);
      long size = attrs.size();
      if (size > maxFileBytes) {
        secretsOnly(file, rel, attrs);
        return;
      }
      byte[] head = new byte[HEAD_BYTES];
      int n;
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (!FileKinds.hasNul(head, n)) localOnly.add(new SelectedFile(rel, file, size));
    }

    /** A file no other check reads: kept for the secrets check if it is a regular text file, not too big. */
    private void secretsOnly(Path file, String rel, BasicFileAttributes attrs) throws IOException {
      if (!attrs.isRegularFile() || attrs.isSymbolicLink() || attrs.size() == 0 || attrs.size() > SECRETS_MAX_BYTES
          || FileKinds.isBinaryByName(file.getFileName().toString())) {
        return;
      }
      byte[] head = new byte[HEAD_BYTES];
      int n;
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (!FileKinds.hasNul(head, n)) secretsOnly.add(new SelectedFile(rel, file, attrs.size()));
    }

    private long averageLineLength(Path file, long size) throws IOException {
      long lines = 1;
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
          for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
        }
      }
      return size / lines;
    }

    private void skip(String reason) {
      skipped.merge(reason, 1, Integer::sum);
    }

    private String relative(Path p) {
      return root.relativize(p).toString().replace('\\', '/');
    }
  }
}
