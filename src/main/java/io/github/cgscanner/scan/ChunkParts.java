package io.github.cgscanner.scan;

import io.github.cgscanner.chunk.Chunk;
import io.github.cgscanner.chunk.ChunkPart;
import io.github.cgscanner.domain.Cancellation;
import io.github.cgscanner.domain.LineOrdinals;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.rules.RuleMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What a cut chunk becomes in a task: its parts, with what the coordinator needs to know about them. */
final class ChunkParts {
  private ChunkParts() {}

  /**
   * Each chunk's parts with the hints inside their lines and, for the parts of files cut in several,
   * the ordinals they carry ({@link io.github.cgscanner.domain.LineOrdinals}); the chunks of one file are
   * consecutive, so one file is followed at a time. Then each chunk's review cache key ({@code reviewKey}
   * null: the cache is off).
   */
  static List<ScanPreparation.PreparedChunk> prepared(List<Chunk> cut, Map<String, List<RuleMatch>> hints,
      Function<List<ReviewTask.Part>, String> reviewKey, Cancellation cancellation) {
    Map<String, Integer> partsPerFile = new HashMap<>();
    for (Chunk c : cut) c.parts().forEach(p -> partsPerFile.merge(p.path(), 1, Integer::sum));
    List<ScanPreparation.PreparedChunk> out = new ArrayList<>(cut.size());
    String followed = null;
    LineOrdinals.Tracker tracker = null;
    for (Chunk c : cut) {
      cancellation.check();
      List<ReviewTask.Part> parts = new ArrayList<>();
      for (ReviewTask.Part p : parts(c, hints)) {
        if (partsPerFile.get(p.path()) > 1) {
          if (!p.path().equals(followed)) {
            followed = p.path();
            tracker = new LineOrdinals.Tracker();
          }
          p = new ReviewTask.Part(p.path(), p.startLine(), p.endLine(), p.text(), p.hints(), tracker.next(p.lines(), p.startLine()));
        }
        parts.add(p);
      }
      out.add(new ScanPreparation.PreparedChunk(List.copyOf(parts), c.tokens(), reviewKey == null ? null : reviewKey.apply(parts)));
    }
    return out;
  }

  /** The chunk's parts, each with the local-rule hints that fall inside its lines. */
  static List<ReviewTask.Part> parts(Chunk chunk, Map<String, List<RuleMatch>> hintsByPath) {
    List<ReviewTask.Part> parts = new ArrayList<>();
    for (ChunkPart p : chunk.parts()) {
      List<ReviewTask.Hint> hints = new ArrayList<>();
      for (RuleMatch m : hintsByPath.getOrDefault(p.path(), List.of())) {
        if (m.line() >= p.startLine() && m.line() <= p.endLine()) hints.add(new ReviewTask.Hint(m.line(), m.rule(), m.title()));
      }
      parts.add(new ReviewTask.Part(p.path(), p.startLine(), p.endLine(), p.text(), List.copyOf(hints)));
    }
    return parts;
  }
}
