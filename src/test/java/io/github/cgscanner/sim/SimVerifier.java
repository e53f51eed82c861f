package io.github.cgscanner.sim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated model's second look: a verdict for each finding a verification request lists, decided
 * only from the code lines the request carries. The review ({@link SimAnswers}) reads one line at a
 * time, so it reports a sink whatever guards it; here the data reaching the flagged line is traced back
 * through the lines above it in the same file, and a guard on it makes the finding rejected:
 * <ul>
 *   <li>an allow-list check: {@code if host not in ALLOWED_HOSTS}, {@code !ALLOWED.contains(x)};</li>
 *   <li>an escaping or parameterising call assigned to it: {@code message = escapeHtml(message)};</li>
 *   <li>a type or range check: {@code long owner = Long.parseLong(…)}, {@code id := strconv.Itoa(n)},
 *       {@code if n < 1 || n > 1000000}.</li>
 * </ul>
 * A sink fed only by literals is rejected too; data that comes from the process environment is
 * confirmed at a lower severity. Nothing the scanner
 * adds (titles, ids, comments) decides a verdict: a finding whose lines are not in the request is uncertain.
 */
final class SimVerifier {
  /** Identifiers the sink gets from concatenation or assignment: {@code + name}, {@code innerHTML = name}. */
  private static final Pattern SINK_INPUT = Pattern.compile("(?:\\+|innerHTML\\s*=)\\s*([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ALLOW_WORD = Pattern.compile("(?i)\\b\\w*(allow|permit|whitelist)\\w*\\b");
  private static final Pattern MEMBERSHIP = Pattern.compile("\\.contains\\(|\\bnot in\\b|\\bin\\b|\\.includes\\(|\\.has\\(");

  private SimVerifier() {}

  /** Whether the request asks for verdicts (its schema's top level has {@code verdicts}). */
  static boolean isVerification(JsonObject body) {
    JsonObject rf = body.getValue("response_format") instanceof JsonObject o ? o : new JsonObject();
    JsonObject js = rf.getValue("json_schema") instanceof JsonObject o ? o : new JsonObject();
    JsonObject schema = js.getValue("schema") instanceof JsonObject o ? o : new JsonObject();
    return schema.getValue("properties") instanceof JsonObject p && p.containsKey("verdicts");
  }

  static JsonArray verdicts(String userMessage) {
    List<SimAnswers.CodeLine> code = SimAnswers.codeLines(userMessage);
    JsonArray out = new JsonArray();
    for (JsonObject item : findings(userMessage)) out.add(verdict(item, code));
    return out;
  }

  /** The FINDINGS section: one JSON object per line. */
  static List<JsonObject> findings(String userMessage) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : userMessage.split("\n")) {
      if (!line.startsWith("{\"id\":")) continue;
      try {
        out.add(new JsonObject(line));
      } catch (DecodeException ignored) {
        // not a finding line
      }
    }
    return out;
  }

  private static JsonObject verdict(JsonObject item, List<SimAnswers.CodeLine> code) {
    String id = item.getString("id");
    String path = item.getString("path");
    int start = item.getInteger("startLine", 0);
    int end = item.getInteger("endLine", start);
    List<SimAnswers.CodeLine> flagged = code.stream().filter(c -> c.path().equals(path) && c.line() >= start && c.line() <= end).toList();
    if (flagged.isEmpty()) return answer(id, "uncertain", 3, "The flagged lines are not in the code shown.", "medium");
    SimAnswers.CodeLine sink = flagged.stream().filter(c -> !VulnPatterns.matching(c.code()).isEmpty()).findFirst().orElse(null);
    if (sink == null) return answer(id, "rejected", 8, "Lines " + start + "-" + end + " do not do what the finding says.", "info");
    String severity = VulnPatterns.matching(sink.code()).get(0).severity();
    Set<String> inputs = inputs(sink.code());
    if (inputs.isEmpty()) return answer(id, "rejected", 8, "Only constants reach line " + sink.line() + ".", "info");
    List<SimAnswers.CodeLine> before = code.stream().filter(c -> c.path().equals(path) && c.line() < sink.line()).toList();
    for (String v : inputs) {
      for (SimAnswers.CodeLine c : before) {
        String guard = guard(c.code(), v);
        if (guard != null) {
          return answer(id, "rejected", 9, "Line " + c.line() + " " + guard + " `" + v + "` before it reaches line " + sink.line() + ".",
              "info");
        }
      }
    }
    for (String v : inputs) {
      for (SimAnswers.CodeLine c : before) {
        if (assigns(c.code(), v) && c.code().matches(".*(System\\.getenv|os\\.environ|process\\.env|os\\.Getenv).*")) {
          return answer(id, "confirmed", 7, "Only the process environment reaches line " + sink.line() + " (line " + c.line()
              + "): exploitable by whoever sets it.", "medium");
        }
      }
    }
    return answer(id, "confirmed", 9, "`" + String.join("`, `", inputs) + "` reaches line " + sink.line() + " unchecked.", severity);
  }

  private static Set<String> inputs(String sinkLine) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = SINK_INPUT.matcher(sinkLine);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** What makes {@code v} safe on this line, in words, or null. */
  private static String guard(String line, String v) {
    String name = "\\b" + Pattern.quote(v) + "\\b";
    if (!Pattern.compile(name).matcher(line).find()) return null;
    if (ALLOW_WORD.matcher(line).find() && MEMBERSHIP.matcher(line).find()) return "checks against an allow-list";
    if (line.matches(".*" + name + "\\s*:?=\\s*[\\w.]*(?i:escape|quote|sanitize|encode)\\w*\\(.*")) return "escapes";
    if (line.matches(".*\\b(int|long|short|Integer|Long)\\s+" + Pattern.quote(v) + "\\s*=.*")
        || line.matches(".*" + name + "\\s*:?=\\s*(Integer\\.parseInt|Long\\.parseLong|int\\(|parseInt\\(|Number\\(|strconv\\.Itoa\\(|strconv\\.Atoi\\().*")) {
      return "makes a number of";
    }
    if (line.matches(".*" + name + "\\s*[<>]=?\\s*\\d+\\s*(\\|\\||or)\\s*" + name + "\\s*[<>]=?\\s*\\d+.*")) return "range-checks";
    return null;
  }

  private static boolean assigns(String line, String v) {
    return line.matches(".*\\b" + Pattern.quote(v) + "\\s*:?=[^=].*");
  }

  private static JsonObject answer(String id, String verdict, int confidence, String justification, String severity) {
    return new JsonObject().put("id", id).put("verdict", verdict).put("confidence", confidence).put("justification", justification)
        .put("severity", severity);
  }
}
