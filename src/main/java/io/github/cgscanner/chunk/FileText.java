package io.github.cgscanner.chunk;

/** A selected file's already-masked text, lines separated by "\n", path relative and '/'-separated. */
public record FileText(String path, String text) {
  public FileText {
    if (path == null || text == null) throw new IllegalArgumentException("path and text are required");
  }
}
