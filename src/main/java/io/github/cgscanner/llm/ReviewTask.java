package io.github.cgscanner.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One review task as the dispatcher hands it out (see the work protocol). */
public record ReviewTask(
    String taskId,
    String scanId,
    String replyTo,
    String leaseId,
    int attempt,
    String model,
    String promptCacheKey,
    String instructions,
    List<Part> parts,
    long estimatedTokens) {

  /** A run of lines of one file; {@code text} is already masked. */
  public record Part(String path, int startLine, int endLine, String text, List<Hint> hints) {
    /** The part's lines, as many as it claims and no more. */
    public List<String> lines() {
      List<String> all = splitLines(text);
      int count = Math.max(0, Math.min(all.size(), endLine - startLine + 1));
      return all.subList(0, count);
    }

    /** The last line really present in the text. */
    public int lastLine() {
      return startLine + lines().size() - 1;
    }
  }

  /** A finding of the local checks, passed to the model as a lead to verify. */
  public record Hint(int line, String rule, String title) {}

  /** Lines of {@code text} joined by {@code \n}; a single trailing newline does not make an extra empty line. */
  public static List<String> splitLines(String text) {
    if (text == null || text.isEmpty()) return List.of();
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    List<String> out = new ArrayList<>();
    for (String line : t.split("\n", -1)) {
      out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    return out;
  }

  public static ReviewTask fromJson(JsonObject j) {
    List<Part> parts = new ArrayList<>();
    for (Object o : j.getJsonArray("parts", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      List<Hint> hints = new ArrayList<>();
      for (Object h : p.getJsonArray("hints", new JsonArray())) {
        JsonObject hj = (JsonObject) h;
        hints.add(new Hint(hj.getInteger("line", 0), hj.getString("rule", ""), hj.getString("title", "")));
      }
      parts.add(new Part(p.getString("path"), p.getInteger("startLine", 1), p.getInteger("endLine", 1),
          p.getString("text", ""), List.copyOf(hints)));
    }
    return new ReviewTask(
        j.getString("taskId"),
        j.getString("scanId"),
        j.getString("replyTo"),
        j.getString("leaseId"),
        j.getInteger("attempt", 0),
        j.getString("model"),
        j.getString("promptCacheKey"),
        j.getString("instructions"),
        List.copyOf(parts),
        j.getLong("estimatedTokens", 0L));
  }

  /** The part of this task that covers {@code path}, or null. */
  public Part part(String path) {
    for (Part p : parts) {
      if (p.path().equals(path)) return p;
    }
    return null;
  }

  /** Whether halving can make this task smaller: more than one part, or one part of several lines. */
  public boolean splittable() {
    return parts.size() > 1 || (parts.size() == 1 && parts.get(0).lines().size() > 1);
  }
}
