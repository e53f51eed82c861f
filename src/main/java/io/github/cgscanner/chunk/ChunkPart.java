package io.github.cgscanner.chunk;

/**
 * Lines {@code startLine..endLine} (1-based, inclusive, true to the file) of one file, {@code text} being
 * those raw lines joined with "\n". A piece of a hard-cut giant line has {@code startLine == endLine} and
 * holds only that piece.
 */
public record ChunkPart(String path, int startLine, int endLine, String text) {
  public ChunkPart {
    if (path == null || text == null) throw new IllegalArgumentException("path and text are required");
    if (startLine < 1 || endLine < startLine) {
      throw new IllegalArgumentException("bad line range " + startLine + ".." + endLine);
    }
  }
}
