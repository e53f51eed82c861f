package io.github.cgscanner.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds test archives, hostile ones included: names are kept exactly as given (commons-compress
 * would otherwise strip a leading '/'). A value starting with {@code "->"} makes a symlink entry to the
 * rest, {@code "=>"} a hard-link entry (tar only). Shared with the end-to-end hostile-input tests.
 */
public final class Archives {
  private Archives() {}

  public static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
      for (var e : entries.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
        String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
        if (text.startsWith("->")) {
          entry.setUnixMode(0120777);
          out.putArchiveEntry(entry);
          out.write(text.substring(2).getBytes(StandardCharsets.UTF_8));
        } else {
          out.putArchiveEntry(entry);
          out.write(e.getValue());
        }
        out.closeArchiveEntry();
      }
    }
    return file;
  }

  public static Path tarGz(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(raw);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : entries.entrySet()) {
        String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
        TarArchiveEntry entry;
        if (text.startsWith("->")) {
          entry = new TarArchiveEntry(e.getKey(), TarConstants.LF_SYMLINK, true);
          entry.setLinkName(text.substring(2));
        } else if (text.startsWith("=>")) {
          entry = new TarArchiveEntry(e.getKey(), TarConstants.LF_LINK, true);
          entry.setLinkName(text.substring(2));
        } else if (text.equals("|fifo") || text.equals("|chr") || text.equals("|blk")) {
          byte type = text.equals("|fifo") ? TarConstants.LF_FIFO : text.equals("|chr") ? TarConstants.LF_CHR : TarConstants.LF_BLK;
          entry = new TarArchiveEntry(e.getKey(), type, true);
        } else {
          entry = new TarArchiveEntry(e.getKey(), true);
          entry.setSize(e.getValue().length);
        }
        tar.putArchiveEntry(entry);
        if (entry.getSize() > 0) tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
