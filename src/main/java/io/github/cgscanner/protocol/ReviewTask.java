package io.github.cgscanner.protocol;

import io.github.cgscanner.domain.LineOrdinals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One model request of a scan: a chunk of masked code to review ({@link Kind#REVIEW}), or a file (or a
 * window of a long one) with the findings to verify in it ({@link Kind#VERIFY}, {@code verify}). The
 * coordinator creates it; a lease ({@link LeaseGrant}) hands it out with a lease id, the attempt number
 * and how long the holder may keep it unsent ({@code holdMs}); the key that sends it answers with a
 * {@link TaskResult} to {@code replyTo}.
 * {@code models} are the models a key must serve to send it ({@code options.models}); empty = any key.
 * Each key sends its own model's name: the task names none.
 */
public record ReviewTask(
    String taskId,
    String scanId,
    String replyTo,
    String leaseId,
    int attempt,
    long holdMs,
    List<String> models,
    String promptCacheKey,
    String instructions,
    List<Part> parts,
    long estimatedTokens,
    Kind kind,
    List<VerifyItem> verify) {

  public enum Kind { REVIEW, VERIFY }

  public ReviewTask {
    if (kind == null) kind = Kind.REVIEW;
    verify = verify == null ? List.of() : List.copyOf(verify);
  }

  /** A review task. */
  public ReviewTask(String taskId, String scanId, String replyTo, String leaseId, int attempt, long holdMs, List<String> models,
      String promptCacheKey, String instructions, List<Part> parts, long estimatedTokens) {
    this(taskId, scanId, replyTo, leaseId, attempt, holdMs, models, promptCacheKey, instructions, parts, estimatedTokens,
        Kind.REVIEW, List.of());
  }

  /**
   * A finding to verify, as the model is shown it: its id first, then where it is and what the review
   * said, {@code evidence} being the code the review quoted.
   */
  public record VerifyItem(String id, String path, int startLine, int endLine, String title, String evidence) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("path", path).put("startLine", startLine).put("endLine", endLine)
          .put("title", title).put("evidence", evidence);
    }

    static VerifyItem fromJson(JsonObject j) {
      return new VerifyItem(j.getString("id"), j.getString("path"), j.getInteger("startLine", 0), j.getInteger("endLine", 0),
          j.getString("title", ""), j.getString("evidence", ""));
    }
  }

  /**
   * A run of lines of one file; {@code text} is already masked. {@code seenBefore} says how often the
   * part's repeated texts occur earlier in the file (see {@link LineOrdinals}): with it the coordinator
   * gives a finding its final id from the part alone.
   */
  public record Part(String path, int startLine, int endLine, String text, List<Hint> hints, List<Integer> seenBefore) {
    public Part {
      hints = List.copyOf(hints);
      seenBefore = List.copyOf(seenBefore);
    }

    /** A part whose texts occur nowhere earlier in its file (a whole file, or the first part of one). */
    public Part(String path, int startLine, int endLine, String text, List<Hint> hints) {
      this(path, startLine, endLine, text, hints, List.of());
    }

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

    /** The ordinal in the file of line {@code line}'s normalised text among the file's lines with that text. */
    public int ordinal(int line) {
      return LineOrdinals.ordinal(lines(), startLine, seenBefore, line);
    }

    JsonObject toJson() {
      JsonArray h = new JsonArray();
      hints.forEach(x -> h.add(new JsonObject().put("line", x.line()).put("rule", x.rule()).put("title", x.title())));
      JsonObject j = new JsonObject().put("path", path).put("startLine", startLine).put("endLine", endLine).put("text", text)
          .put("hints", h);
      if (!seenBefore.isEmpty()) j.put("seenBefore", new JsonArray(new ArrayList<>(seenBefore)));
      return j;
    }

    static Part fromJson(JsonObject p) {
      List<Hint> hints = new ArrayList<>();
      for (Object h : p.getJsonArray("hints", new JsonArray())) {
        JsonObject hj = (JsonObject) h;
        hints.add(new Hint(hj.getInteger("line", 0), hj.getString("rule", ""), hj.getString("title", "")));
      }
      List<Integer> seen = new ArrayList<>();
      for (Object n : p.getJsonArray("seenBefore", new JsonArray())) seen.add(((Number) n).intValue());
      return new Part(p.getString("path"), p.getInteger("startLine", 1), p.getInteger("endLine", 1),
          p.getString("text", ""), hints, seen);
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

  /** Whether a key serving {@code model} may send this task. */
  public boolean allows(String model) {
    return Models.allow(models, model);
  }

  /** The same task handed out under a lease. */
  public ReviewTask leased(String newLeaseId, int attemptNo, long holdForMs) {
    return new ReviewTask(taskId, scanId, replyTo, newLeaseId, attemptNo, holdForMs, models, promptCacheKey, instructions,
        parts, estimatedTokens, kind, verify);
  }

  /** A review task of the same scan for other parts (the halves of a split). */
  public ReviewTask withParts(String newTaskId, List<Part> newParts, long tokens) {
    return new ReviewTask(newTaskId, scanId, replyTo, null, 0, 0, models, promptCacheKey, instructions, List.copyOf(newParts),
        tokens, Kind.REVIEW, List.of());
  }

  /** A verification task of the same scan: {@code items} to verify against {@code newParts}. */
  public ReviewTask verifying(String newTaskId, List<Part> newParts, List<VerifyItem> items, long tokens) {
    return new ReviewTask(newTaskId, scanId, replyTo, null, 0, 0, models, promptCacheKey, instructions, List.copyOf(newParts),
        tokens, Kind.VERIFY, items);
  }

  public boolean isVerification() {
    return kind == Kind.VERIFY;
  }

  public JsonObject toJson() {
    JsonArray p = new JsonArray();
    parts.forEach(x -> p.add(x.toJson()));
    return new JsonObject()
        .put("taskId", taskId)
        .put("scanId", scanId)
        .put("replyTo", replyTo)
        .put("leaseId", leaseId)
        .put("attempt", attempt)
        .put("holdMs", holdMs)
        .put("models", Models.toJson(models))
        .put("promptCacheKey", promptCacheKey)
        .put("instructions", instructions)
        .put("parts", p)
        .put("estimatedTokens", estimatedTokens)
        .put("kind", kind.name())
        .put("verify", new JsonArray(verify.stream().map(VerifyItem::toJson).toList()));
  }

  public static ReviewTask fromJson(JsonObject j) {
    List<Part> parts = new ArrayList<>();
    for (Object o : j.getJsonArray("parts", new JsonArray())) parts.add(Part.fromJson((JsonObject) o));
    List<VerifyItem> verify = new ArrayList<>();
    for (Object o : j.getJsonArray("verify", new JsonArray())) verify.add(VerifyItem.fromJson((JsonObject) o));
    return new ReviewTask(
        j.getString("taskId"),
        j.getString("scanId"),
        j.getString("replyTo"),
        j.getString("leaseId"),
        j.getInteger("attempt", 0),
        j.getLong("holdMs", 0L),
        Models.fromJson(j.getJsonArray("models")),
        j.getString("promptCacheKey"),
        j.getString("instructions"),
        List.copyOf(parts),
        j.getLong("estimatedTokens", 0L),
        Kind.valueOf(j.getString("kind", Kind.REVIEW.name())),
        verify);
  }

  public static List<ReviewTask> listFromJson(JsonArray tasks) {
    List<ReviewTask> out = new ArrayList<>();
    if (tasks != null) for (Object o : tasks) out.add(fromJson((JsonObject) o));
    return out;
  }

  public static JsonArray listToJson(List<ReviewTask> tasks) {
    JsonArray out = new JsonArray();
    tasks.forEach(t -> out.add(t.toJson()));
    return out;
  }

  /** The part of this task that covers {@code path}, or null. */
  public Part part(String path) {
    for (Part p : parts) {
      if (p.path().equals(path)) return p;
    }
    return null;
  }

  /**
   * Whether halving can make this task's answer shorter: a review of more than one part, or of one
   * part of several lines; a verification of more than one finding.
   */
  public boolean splittable() {
    if (isVerification()) return verify.size() > 1;
    return parts.size() > 1 || (parts.size() == 1 && parts.get(0).lines().size() > 1);
  }
}
