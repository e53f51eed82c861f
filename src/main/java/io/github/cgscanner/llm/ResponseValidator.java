package io.github.cgscanner.llm;

import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a model answer into findings we can stand behind. A finding survives only when it points at a
 * file and lines that were sent and its evidence really is in those lines; anything else is dropped and
 * counted. A model can hallucinate or be steered by the code it reads, so nothing it says is trusted.
 */
public final class ResponseValidator {
  static final int MAX_SNIPPET_LINES = 20;
  /** The evidence a verification shows the model again: enough to name the code, not a second copy of the file. */
  static final int MAX_EVIDENCE_CHARS = 1000;
  /** Evidence as short as {@code q} or {@code ;} is found almost anywhere and proves nothing. */
  static final int MIN_EVIDENCE_CHARS = 8;
  private static final Pattern CWE = Pattern.compile("(?i)^\\s*(?:cwe)?[-_ ]?(\\d{1,6})\\s*$");
  private static final Pattern LINE_PREFIX = Pattern.compile("(?m)^\\s*\\d+\\| ?");
  private static final Set<String> CONFIDENCES = Set.of(ReviewSchema.CONFIDENCES);

  /** @param malformed the answer was not the JSON the schema asks for; {@code findings} is then empty */
  public record Result(boolean malformed, List<JsonObject> findings, int dropped) {}

  private ResponseValidator() {}

  public static Result validate(ReviewTask task, String content) {
    JsonArray items;
    try {
      Object parsed = content == null ? null : new JsonObject(content).getValue("findings");
      if (!(parsed instanceof JsonArray arr)) return new Result(true, List.of(), 0);
      items = arr;
    } catch (DecodeException | ClassCastException e) {
      return new Result(true, List.of(), 0);
    }
    List<JsonObject> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int dropped = 0;
    for (Object item : items) {
      JsonObject f = item instanceof JsonObject o ? check(task, o) : null;
      if (f == null) {
        dropped++;
      } else if (seen.add(f.getString("ruleId") + '\0' + f.getString("path") + '\0' + f.getInteger("startLine") + '\0' + f.getInteger("endLine"))) {
        kept.add(f);
      }
    }
    return new Result(false, List.copyOf(kept), dropped);
  }

  /** The finding in our shape, or null when it must be dropped. */
  private static JsonObject check(ReviewTask task, JsonObject f) {
    if (!(f.getValue("path") instanceof String path)
        || !(f.getValue("startLine") instanceof Number startN)
        || !(f.getValue("endLine") instanceof Number endN)
        || !(f.getValue("evidence") instanceof String evidence)
        || !(f.getValue("title") instanceof String title) || title.isBlank()) {
      return null;
    }
    ReviewTask.Part part = task.part(path);
    int start = startN.intValue();
    int end = endN.intValue();
    if (part == null || start > end || start < part.startLine() || end > part.lastLine()) return null;
    Severity severity = f.getValue("severity") instanceof String s ? Severity.parse(s) : null;
    String confidence = f.getValue("confidence") instanceof String c ? c.trim().toLowerCase(Locale.ROOT) : null;
    if (severity == null || !CONFIDENCES.contains(confidence)) return null;
    Object cweValue = f.getValue("cwe");
    String cwe = null;
    if (cweValue != null && !(cweValue instanceof String s && s.isBlank())) {
      cwe = normaliseCwe(String.valueOf(cweValue));
      if (cwe == null) return null;
    }
    List<String> flagged = part.lines().subList(start - part.startLine(), end - part.startLine() + 1);
    String flaggedText = FindingIds.normalise(String.join("\n", flagged));
    String wanted = FindingIds.normalise(LINE_PREFIX.matcher(evidence).replaceAll(""));
    if (wanted.length() < Math.min(MIN_EVIDENCE_CHARS, flaggedText.length()) || !flaggedText.contains(wanted)) return null;
    return new JsonObject()
        .put("ruleId", cwe == null ? "llm/unclassified" : "llm/" + cwe)
        .put("cwe", cwe)
        .put("title", clip(title, 200))
        .put("severity", severity.wire())
        .put("confidence", confidence)
        .put("path", path)
        .put("startLine", start)
        .put("endLine", end)
        .put("snippet", String.join("\n", flagged.subList(0, Math.min(flagged.size(), MAX_SNIPPET_LINES))))
        .put("description", clip(text(f, "description"), 4000))
        .put("recommendation", clip(text(f, "recommendation"), 4000))
        .put("source", "llm")
        .put("flaggedText", flaggedText)
        .put("evidence", clip(LINE_PREFIX.matcher(evidence).replaceAll("").strip(), MAX_EVIDENCE_CHARS));
  }

  /** {@code CWE-89}, {@code cwe-89}, {@code 89} → {@code CWE-89}; anything else → null. */
  public static String normaliseCwe(String text) {
    Matcher m = CWE.matcher(text);
    return m.matches() ? "CWE-" + Integer.parseInt(m.group(1)) : null;
  }

  private static String text(JsonObject f, String field) {
    return f.getValue(field) instanceof String s ? s : "";
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
