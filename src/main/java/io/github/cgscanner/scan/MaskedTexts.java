package io.github.cgscanner.scan;

import io.github.cgscanner.chunk.FileText;
import io.github.cgscanner.protocol.ReviewTask;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The masked text of every file a scan reviews, with its local-rule hints, for the verification pass,
 * which shows the model a whole file after its chunks have been answered and dropped. The texts are
 * written once, one after the other, to a file in the scan's workspace during preparation (and deleted
 * with it); only their offsets stay on the heap, so a scan's memory does not grow with its source.
 * Reading and writing block: both run on the blocking pool.
 */
final class MaskedTexts {
  private record Entry(long offset, int length, List<ReviewTask.Hint> hints) {}

  private final Path file;
  private final Map<String, Entry> index;

  private MaskedTexts(Path file, Map<String, Entry> index) {
    this.file = file;
    this.index = index;
  }

  /** Writes {@code texts} (already masked) under {@code workspace}; {@code hints} by path. */
  static MaskedTexts write(Path workspace, List<FileText> texts, Map<String, List<ReviewTask.Hint>> hints) throws IOException {
    Path dir = Files.createDirectories(workspace.resolve("masked"));
    Path file = dir.resolve("texts");
    Map<String, Entry> index = new HashMap<>();
    long offset = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (FileText t : texts) {
        byte[] bytes = t.text().getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        index.put(t.path(), new Entry(offset, bytes.length, List.copyOf(hints.getOrDefault(t.path(), List.of()))));
        offset += bytes.length;
      }
    }
    return new MaskedTexts(file, index);
  }

  /** @return the masked text of {@code path} as it was chunked, or null for a file that was not written */
  String text(String path) throws IOException {
    Entry e = index.get(path);
    if (e == null) return null;
    ByteBuffer buffer = ByteBuffer.allocate(e.length());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, e.offset() + buffer.position()) < 0) throw new IOException("the masked text of a file is cut short");
      }
    }
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }

  /** Whether {@code path} goes to the model (its text was kept). */
  boolean has(String path) {
    return index.containsKey(path);
  }

  List<ReviewTask.Hint> hints(String path) {
    Entry e = index.get(path);
    return e == null ? List.of() : e.hints();
  }
}
