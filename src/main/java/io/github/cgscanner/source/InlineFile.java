package io.github.cgscanner.source;

/** One file of a {@code {"files": [...]}} submission; {@code path} is relative and '/'-separated. */
public record InlineFile(String path, String content) {

  /** Contents can be large: keep them out of logs. */
  @Override
  public String toString() {
    return "InlineFile[path=" + path + ", chars=" + (content == null ? 0 : content.length()) + "]";
  }
}
