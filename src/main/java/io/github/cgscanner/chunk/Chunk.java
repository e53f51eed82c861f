package io.github.cgscanner.chunk;

import java.util.List;

/** One review request's worth of code; {@code tokens} estimates {@link Chunker#numbered(Chunk)}. */
public record Chunk(List<ChunkPart> parts, int tokens) {
  public Chunk {
    parts = List.copyOf(parts);
  }
}
