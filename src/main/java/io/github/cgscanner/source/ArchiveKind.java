package io.github.cgscanner.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Archive formats we unpack, told apart by magic bytes (names and media types are not trusted). */
enum ArchiveKind {
  ZIP,
  TAR_GZ;

  /** @return the kind, or null when the file starts with neither {@code PK\3\4} nor {@code 1f 8b} */
  static ArchiveKind detect(Path file) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return ZIP;
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return TAR_GZ;
    return null;
  }
}
