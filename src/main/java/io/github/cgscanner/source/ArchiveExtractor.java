package io.github.cgscanner.source;

import static io.github.cgscanner.source.SourceFailure.INVALID_ARCHIVE;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Cancellation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a zip or tar.gz into a directory without trusting it: entry names must stay inside the
 * target, an archive with a symbolic or hard link is refused whole (a link can only point at something
 * we must not read, or duplicate what is there), nested archives stay files, and entry count, total
 * size and per-entry compression ratio are capped.
 */
final class ArchiveExtractor {
  static final long BOMB_MIN_ENTRY_BYTES = 1L << 20;
  static final long BOMB_RATIO = 200;
  /**
   * tar.gz exposes only the compressed bytes the gzip stream has pulled, which runs ahead of the
   * entry by at most its buffers; adding this slack keeps the ratio a lower bound of the true one.
   */
  private static final long GZIP_READ_AHEAD = 32 * 1024;

  private final ScannerConfig.Sources policy;

  ArchiveExtractor(ScannerConfig.Sources policy) {
    this.policy = policy;
  }

  void extract(Path archive, Path dest, Cancellation cancellation) {
    try {
      ArchiveKind kind = ArchiveKind.detect(archive);
      if (kind == null) throw fail("the upload is neither a zip nor a tar.gz archive");
      Files.createDirectories(dest);
      if (kind == ArchiveKind.ZIP) unzip(archive, dest, cancellation);
      else untar(archive, dest, cancellation);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SourceFailure f) throw f;
      if (e instanceof Cancellation.CancelledException c) throw c;
      throw fail("the archive is corrupt or cannot be unpacked");
    }
  }

  private void unzip(Path archive, Path dest, Cancellation cancellation) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
      if (entries.size() > policy.maxArchiveEntries()) throw tooManyEntries();
      long[] inflated = {0};
      for (ZipArchiveEntry e : entries) {
        cancellation.check();
        if (e.isUnixSymlink()) throw linkEntry();
        Path target = target(dest, e.getName());
        if (target == null) continue;
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        if (!zip.canReadEntryData(e)) throw fail("the archive uses an unsupported compression or encryption");
        long compressed = Math.max(1, e.getCompressedSize());
        try (InputStream in = zip.getInputStream(e)) {
          write(in, target, () -> compressed, inflated);
        }
      }
    }
  }

  private void untar(Path archive, Path dest, Cancellation cancellation) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        GzipCompressorInputStream gz =
            GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      long[] inflated = {0};
      int count = 0;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        cancellation.check();
        if (++count > policy.maxArchiveEntries()) throw tooManyEntries();
        if (e.isSymbolicLink() || e.isLink()) throw linkEntry();
        Path target = target(dest, e.getName());
        if (target == null) continue;
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile() && !e.isFIFO() && !e.isCharacterDevice() && !e.isBlockDevice()) {
          // commons-compress calls every entry that is not a directory a file, FIFOs and devices too.
          long start = gz.getCompressedCount();
          write(tar, target, () -> gz.getCompressedCount() - start + GZIP_READ_AHEAD, inflated);
        }
        // Devices, FIFOs and other special entries are never created.
      }
    }
  }

  /** @return where the entry goes, or null for entries we leave out (the root, macOS resource forks) */
  private static Path target(Path dest, String name) {
    String rel;
    try {
      rel = RelativePaths.lenient(name);
    } catch (IllegalArgumentException e) {
      throw fail("the archive has an entry whose name " + e.getMessage());
    }
    if (rel.isEmpty() || rel.equals("__MACOSX") || rel.startsWith("__MACOSX/")) return null;
    Path target = dest.resolve(rel).normalize();
    if (!target.startsWith(dest)) throw fail("the archive has an entry outside its root");
    return target;
  }

  private void write(InputStream in, Path target, LongSupplier compressed, long[] inflated) throws IOException {
    Files.createDirectories(target.getParent());
    byte[] buf = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        written += n;
        inflated[0] += n;
        if (inflated[0] > policy.maxInflatedBytes()) {
          throw fail("the archive unpacks to more than " + policy.maxInflatedBytes() + " bytes");
        }
        if (written > BOMB_MIN_ENTRY_BYTES && written > BOMB_RATIO * compressed.getAsLong()) {
          throw fail("the archive has an entry with a compression ratio above " + BOMB_RATIO + " (zip bomb)");
        }
        out.write(buf, 0, n);
      }
    }
  }

  private static SourceFailure linkEntry() {
    return fail("the archive holds a symbolic or hard link; links are refused in uploads"
        + " (archive with links dereferenced, or submit the git URL)");
  }

  private SourceFailure tooManyEntries() {
    return fail("the archive has more than " + policy.maxArchiveEntries() + " entries");
  }

  private static SourceFailure fail(String message) {
    return new SourceFailure(INVALID_ARCHIVE, message);
  }
}
