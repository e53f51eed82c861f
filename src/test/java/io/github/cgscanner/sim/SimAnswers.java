package io.github.cgscanner.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the simulated model answers, derived only from the code in the request. */
final class SimAnswers {
  private static final Pattern HEADER = Pattern.compile("^=== FILE: (.+) \\(lines (\\d+)-(\\d+)\\) ===$");
  private static final Pattern LINE = Pattern.compile("^(\\d+)\\| ?(.*)$");

  /** Other names a model gives the same weakness from one run to the next: CWEs of one view-1003 family. */
  private static final Map<String, List<String>> SYNONYMS = Map.of(
      "CWE-89", List.of("CWE-89", "CWE-564"),
      "CWE-79", List.of("CWE-79", "CWE-80", "CWE-83"),
      "CWE-95", List.of("CWE-95", "CWE-94"),
      "CWE-328", List.of("CWE-328", "CWE-327"));

  /** A numbered line under its file header. */
  record CodeLine(String path, int line, String code) {}

  private SimAnswers() {}

  static void hostileTitles(JsonArray findings) {
    for (Object f : findings) {
      JsonObject finding = (JsonObject) f;
      if ("CWE-79".equals(finding.getString("cwe"))) finding.put("title", SimulatorOptions.HOSTILE_TITLE);
    }
  }

  static List<CodeLine> codeLines(String userMessage) {
    List<CodeLine> out = new ArrayList<>();
    String path = null;
    for (String raw : userMessage.split("\n", -1)) {
      Matcher h = HEADER.matcher(raw);
      if (h.matches()) {
        path = h.group(1);
        continue;
      }
      Matcher l = LINE.matcher(raw);
      if (path != null && l.matches()) {
        out.add(new CodeLine(path, Integer.parseInt(l.group(1)), l.group(2)));
      } else if (!raw.isEmpty()) {
        path = null;
      }
    }
    return out;
  }

  static JsonArray findings(List<CodeLine> lines) {
    JsonArray out = new JsonArray();
    for (CodeLine cl : lines) {
      for (VulnPatterns.VulnPattern p : VulnPatterns.matching(cl.code())) {
        out.add(finding(cl.path(), cl.line(), cl.line(), p.cwe(), p.severity(), p.title(), cl.code().strip()));
      }
    }
    return out;
  }

  /**
   * What a model does differently between two reviews of the same code: another CWE of the same
   * family, an end line one further when the next line was sent too, and the findings in another order.
   */
  static void vary(JsonArray findings, List<CodeLine> lines, Random random) {
    Set<String> sent = new HashSet<>();
    lines.forEach(cl -> sent.add(cl.path() + ":" + cl.line()));
    List<Object> items = new ArrayList<>(findings.getList());
    for (Object o : findings) {
      JsonObject f = (JsonObject) o;
      List<String> names = SYNONYMS.getOrDefault(f.getString("cwe"), List.of(f.getString("cwe")));
      f.put("cwe", names.get(random.nextInt(names.size())));
      int next = f.getInteger("endLine") + 1;
      if (random.nextBoolean() && sent.contains(f.getString("path") + ":" + next)) f.put("endLine", next);
    }
    Collections.shuffle(items, random);
    findings.clear();
    items.forEach(findings::add);
  }

  /** A finding the scanner must refuse: a file not sent, lines not sent, evidence not there, or an unknown severity. */
  static JsonObject madeUp(List<CodeLine> lines, Random random) {
    CodeLine first = lines.isEmpty() ? new CodeLine("src/Main.java", 1, "") : lines.get(0);
    int last = lines.isEmpty() ? 1 : lines.get(lines.size() - 1).line();
    return switch (random.nextInt(4)) {
      case 0 -> finding("src/NotSent" + random.nextInt(1000) + ".java", first.line(), first.line(), "CWE-89", "high",
          "SQL injection", "String q = \"SELECT \" + x;");
      case 1 -> finding(first.path(), last + 40, last + 41, "CWE-78", "critical", "Command injection", first.code().strip());
      case 2 -> finding(first.path(), first.line(), first.line(), "CWE-798", "high", "Hard-coded password",
          "password = \"hunter2-made-up\"");
      default -> finding(first.path(), first.line(), first.line(), "CWE-20", "catastrophic", "Improper input validation",
          first.code().strip());
    };
  }

  private static JsonObject finding(String path, int start, int end, String cwe, String severity, String title, String evidence) {
    return new JsonObject()
        .put("path", path)
        .put("startLine", start)
        .put("endLine", end)
        .put("cwe", cwe)
        .put("severity", severity)
        .put("confidence", "high")
        .put("title", title)
        .put("description", title + " at line " + start + ".")
        .put("recommendation", "Do not pass untrusted input to this call; validate or parameterise it.")
        .put("evidence", evidence);
  }
}
