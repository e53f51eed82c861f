package io.github.cgscanner.source;

import static io.github.cgscanner.source.SourceFailure.SOURCE_REFUSED;
import static io.github.cgscanner.source.SourceFailure.SOURCE_UNAVAILABLE;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Cancellation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Turns a {@link SourceSpec} into a directory to review. Blocking: call it from a worker pool. */
public final class SourceFetcher {
  private final GitCloner git;
  private final ArchiveExtractor archives;

  public SourceFetcher(ScannerConfig.Sources policy) {
    this(policy, true);
  }

  /** Tests pass {@code false} to clone from a local {@code file://} repository. */
  SourceFetcher(ScannerConfig.Sources policy, boolean enforceNetworkPolicy) {
    this.git = new GitCloner(policy, enforceNetworkPolicy);
    this.archives = new ArchiveExtractor(policy);
  }

  /**
   * Materialises {@code spec} under {@code workspace} (a fresh directory the caller deletes). A local
   * path is scanned in place: its root checks ran at submit time, and the CLI scans any directory.
   *
   * @throws SourceFailure {@code source_refused}, {@code source_unavailable} or {@code invalid_archive}
   */
  public FetchedSource fetch(SourceSpec spec, Path workspace) {
    return fetch(spec, workspace, Cancellation.never());
  }

  /** As {@link #fetch(SourceSpec, Path)}, stopping between units of work once {@code cancellation} is cancelled. */
  public FetchedSource fetch(SourceSpec spec, Path workspace, Cancellation cancellation) {
    Path ws = realDirectory(workspace, "the scan workspace is not usable");
    if (spec instanceof GitSource g) return git.clone(g, ws, cancellation);
    if (spec instanceof ArchiveSource a) {
      Path dest = ws.resolve("archive");
      archives.extract(a.file(), dest, cancellation);
      return new FetchedSource(commonTopDir(dest), a.kind(), a.displayName(), null);
    }
    if (spec instanceof FilesSource f) {
      Path dest = ws.resolve("files");
      writeInline(f.files(), dest);
      return new FetchedSource(commonTopDir(dest), f.kind(), f.displayName(), null);
    }
    PathSource p = (PathSource) spec;
    return new FetchedSource(realDirectory(p.dir(), "the directory does not exist"), p.kind(), p.displayName(), null);
  }

  /**
   * Checks an upload by its first bytes (zip {@code PK\3\4}, gzip {@code 1f 8b}), whatever its name or
   * media type claims.
   *
   * @throws SourceRejected {@code invalid_request} for any other content
   */
  public static ArchiveSource detectArchive(Path file, String name) {
    try {
      if (ArchiveKind.detect(file) != null) return new ArchiveSource(file, name);
    } catch (IOException e) {
      throw new SourceRejected(SourceRejected.INVALID_REQUEST, "the archive cannot be read");
    }
    throw new SourceRejected(SourceRejected.INVALID_REQUEST, "the content is neither a zip nor a tar.gz archive");
  }

  private static void writeInline(List<InlineFile> files, Path dest) {
    try {
      for (InlineFile f : files) {
        String rel;
        try {
          rel = RelativePaths.strict(f.path());
        } catch (IllegalArgumentException e) {
          throw new SourceFailure(SOURCE_REFUSED, "an inline file path " + e.getMessage());
        }
        Path target = dest.resolve(rel).normalize();
        if (!target.startsWith(dest)) throw new SourceFailure(SOURCE_REFUSED, "an inline file path leaves the root");
        Files.createDirectories(target.getParent());
        Files.write(target, f.content().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new SourceFailure(SOURCE_UNAVAILABLE, "the inline files could not be written");
    }
  }

  /** An archive or file set whose entries all sit under one directory is reviewed from inside it. */
  static Path commonTopDir(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> children = Files.list(dir)) {
        List<Path> all = children.toList();
        if (all.size() == 1 && Files.isDirectory(all.get(0), LinkOption.NOFOLLOW_LINKS)) return all.get(0);
        return dir;
      }
    } catch (IOException e) {
      throw new SourceFailure(SOURCE_UNAVAILABLE, "the extracted source cannot be listed");
    }
  }

  private static Path realDirectory(Path dir, String message) {
    try {
      Path real = dir.toRealPath();
      if (Files.isDirectory(real)) return real;
    } catch (IOException e) {
      // reported below in our words
    }
    throw new SourceFailure(SOURCE_UNAVAILABLE, message);
  }
}
