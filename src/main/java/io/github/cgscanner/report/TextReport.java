package io.github.cgscanner.report;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingState;
import io.github.cgscanner.domain.Verification;
import io.github.cgscanner.domain.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable report of the {@code scan} command.
 *
 * <p>Everything a finding carries comes from scanned code or from the model, so it is untrusted: control
 * characters are shown as {@code \x1b}-style escapes rather than written, or a hostile repository could
 * drive the user's terminal with escape sequences. Colour codes are our own and only added on request.
 */
public final class TextReport {
  static final int WIDTH = 100;
  static final int MAX_SNIPPET_LINES = 12;
  private static final String INDENT = "    ";
  private static final String RESET = "\u001b[0m";

  private TextReport() {}

  /** @param findings every finding of the scan: the reported ones by severity, those set aside (rejected) after them */
  public static String render(JsonObject scan, List<Finding> all, boolean color) {
    JsonObject s = scan == null ? new JsonObject() : scan;
    Style style = new Style(color);
    List<Finding> findings = all.stream().filter(Finding::reported).toList();
    List<Finding> rejected = all.stream().filter(f -> f.state() == FindingState.REJECTED).toList();
    StringBuilder out = new StringBuilder();
    summary(out, s, findings, style);
    Map<Severity, List<Finding>> groups = new EnumMap<>(Severity.class);
    for (Finding f : findings) {
      groups.computeIfAbsent(f.severity() == null ? Severity.INFO : f.severity(), k -> new ArrayList<>()).add(f);
    }
    if (findings.isEmpty()) out.append('\n').append("No findings.\n");
    for (Severity severity : Severity.values()) {
      List<Finding> group = groups.get(severity);
      if (group == null) continue;
      group.sort(Comparator.comparing((Finding f) -> f.path() == null ? "" : f.path()).thenComparingInt(Finding::startLine));
      out.append('\n').append(style.severity(severity, severity.name() + " (" + group.size() + ")")).append('\n');
      for (Finding f : group) finding(out, f, style);
    }
    if (!rejected.isEmpty()) {
      out.append('\n').append(style.bold("REJECTED BY VERIFICATION (" + rejected.size() + ")")).append(style.dim(" — not reported"))
          .append('\n');
      for (Finding f : rejected) {
        out.append('\n').append(style.dim(safe(f.path()) + ":" + f.startLine())).append("  ").append(safe(f.title())).append("  ")
            .append(style.dim("[" + safe(f.ruleId()) + "]")).append('\n');
        wrap(out, f.verification() == null ? null : f.verification().justification(), "Why: ");
      }
    }
    return out.toString();
  }

  private static void summary(StringBuilder out, JsonObject s, List<Finding> findings, Style style) {
    out.append(style.bold("chatgpt-security-scanner report")).append('\n');
    line(out, "Scan", join(" ", text(s.getValue("id")), text(s.getValue("status"))));
    if (s.getValue("source") instanceof JsonObject src) {
      String commit = text(src.getValue("commit"));
      line(out, "Source", join(" ", text(src.getValue("kind")), text(SarifReport.publicUrl(str(src.getValue("name")))),
          commit.isEmpty() ? "" : "@ " + commit.substring(0, Math.min(12, commit.length()))));
    }
    String model = text(s.getValue("model"));
    String prompt = text(s.getValue("promptVersion"));
    line(out, "Model", join(" ", model, prompt.isEmpty() ? "" : "(prompt " + prompt + ")",
        "— model review " + orDash(text(s.getValue("modelReview")))));
    if (s.getValue("progress") instanceof JsonObject p) {
      line(out, "Files", number(p, "filesScanned") + " scanned, " + number(p, "filesFailed") + " failed, "
          + number(p, "filesSkipped") + " skipped (not selected), of " + number(p, "filesTotal") + " selected");
    }
    if (s.getValue("usage") instanceof JsonObject u) {
      String cost = u.getValue("estimatedCostUsd") instanceof Number c ? String.format(Locale.ROOT, ", ~$%.4f", c.doubleValue()) : "";
      line(out, "Usage", number(u, "requests") + " requests, " + number(u, "promptTokens") + " prompt tokens ("
          + number(u, "cachedTokens") + " cached), " + number(u, "completionTokens") + " completion tokens" + cost);
    }
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Finding f : findings) counts.merge(f.severity() == null ? Severity.INFO : f.severity(), 1, Integer::sum);
    List<String> bySeverity = new ArrayList<>();
    for (Severity sev : Severity.values()) {
      bySeverity.add(style.severity(sev, counts.getOrDefault(sev, 0) + " " + sev.wire()));
    }
    line(out, "Findings", findings.size() + " — " + String.join(", ", bySeverity));
    if (s.getValue("verification") instanceof JsonObject v && !"off".equals(v.getValue("status"))
        && !"skipped".equals(v.getValue("status"))) {
      line(out, "Verified", text(v.getValue("mode")) + ": " + number(v, "requested") + " sent for verification, "
          + number(v, "confirmed") + " confirmed, " + number(v, "rejected") + " rejected, " + number(v, "uncertain") + " uncertain, "
          + number(v, "failed") + " not verified — " + text(v.getValue("status")));
    }
    if (s.getValue("error") instanceof JsonObject e) {
      line(out, "Error", style.severity(Severity.CRITICAL, join(": ", text(e.getValue("code")), text(e.getValue("message")))));
    }
    if (s.getValue("failedFiles") instanceof JsonArray failed && !failed.isEmpty()) {
      line(out, "Failed", failed.size() + " file(s) not reviewed:");
      int shown = 0;
      for (Object o : failed) {
        if (shown++ == 20) {
          out.append(INDENT).append("… and ").append(failed.size() - 20).append(" more\n");
          break;
        }
        if (o instanceof JsonObject ff) {
          out.append(INDENT).append(text(ff.getValue("path"))).append(": ").append(text(ff.getValue("reason"))).append('\n');
        }
      }
    }
  }

  private static void finding(StringBuilder out, Finding f, Style style) {
    Severity sev = f.severity() == null ? Severity.INFO : f.severity();
    String where = safe(f.path()) + ":" + f.startLine() + (f.endLine() > f.startLine() ? "-" + f.endLine() : "");
    out.append('\n').append(style.severity(sev, String.format(Locale.ROOT, "%-8s", sev.name()))).append("  ")
        .append(style.bold(where)).append("  ").append(safe(f.title())).append("  ")
        .append(style.dim("[" + safe(f.ruleId()) + "]"));
    if (f.cwe() != null && (f.ruleId() == null || !f.ruleId().contains(f.cwe()))) out.append(style.dim(" " + safe(f.cwe())));
    if (f.confidence() != null) out.append(style.dim(" confidence " + safe(f.confidence())));
    out.append('\n');
    snippet(out, f, style);
    wrap(out, f.description(), "");
    wrap(out, f.recommendation(), "Fix: ");
    Verification v = f.verification();
    if (v != null && v.failure() != null) {
      wrap(out, "not verified (" + v.failure() + "), reported as the review found it", "Verdict: ");
    } else if (v != null) {
      String lowered = v.originalSeverity() == null ? "" : ", severity lowered from " + v.originalSeverity().wire();
      String confidence = v.confidence() == null ? "" : " (" + v.confidence() + "/10)";
      wrap(out, v.verdict().wire() + confidence + lowered + " — " + v.justification(), "Verdict: ");
    }
  }

  private static void snippet(StringBuilder out, Finding f, Style style) {
    if (f.snippet() == null || f.snippet().isBlank()) return;
    String[] lines = f.snippet().split("\n", -1);
    int count = lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
    boolean numbered = count == f.endLine() - f.startLine() + 1 && f.startLine() >= 1;
    int width = Integer.toString(f.startLine() + count - 1).length();
    for (int i = 0; i < Math.min(count, MAX_SNIPPET_LINES); i++) {
      String prefix = numbered ? String.format(Locale.ROOT, "%" + width + "d| ", f.startLine() + i) : "| ";
      out.append(INDENT).append(style.dim(prefix)).append(safe(lines[i]).stripTrailing()).append('\n');
    }
    if (count > MAX_SNIPPET_LINES) out.append(INDENT).append(style.dim("… " + (count - MAX_SNIPPET_LINES) + " more lines")).append('\n');
  }

  /** Word-wraps {@code text} to {@link #WIDTH} columns, indented, keeping its own paragraph breaks. */
  static void wrap(StringBuilder out, String text, String label) {
    if (text == null || text.isBlank()) return;
    String first = INDENT + label;
    String rest = INDENT + " ".repeat(label.length());
    boolean firstLine = true;
    for (String paragraph : text.strip().split("\\R")) {
      StringBuilder line = new StringBuilder(firstLine ? first : rest);
      firstLine = false;
      boolean empty = true;
      for (String word : safe(paragraph).split(" +")) {
        if (word.isEmpty()) continue;
        if (!empty && line.length() + 1 + word.length() > WIDTH) {
          out.append(line).append('\n');
          line = new StringBuilder(rest);
          empty = true;
        }
        if (!empty) line.append(' ');
        line.append(word);
        empty = false;
      }
      if (!empty) out.append(line).append('\n');
    }
  }

  /** {@code text} with every control character but tab written as a visible escape. */
  static String safe(String text) {
    if (text == null) return "";
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp == '\t') sb.append("    ");
      else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) sb.append(String.format("\\x%02x", cp));
      else if (Character.getType(cp) == Character.FORMAT && cp != 0x200D) sb.append(String.format("\\u%04x", cp));
      else sb.appendCodePoint(cp);
    });
    return sb.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-9s ", label + ":")).append(value).append('\n');
  }

  private static String number(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? String.format(Locale.ROOT, "%,d", n.longValue()) : "-";
  }

  private static String str(Object value) {
    return value instanceof String s ? s : "";
  }

  private static String text(Object value) {
    return value == null ? "" : safe(value.toString());
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static String join(String sep, String... parts) {
    List<String> kept = new ArrayList<>();
    for (String p : parts) if (p != null && !p.isEmpty()) kept.add(p);
    return kept.isEmpty() ? "-" : String.join(sep, kept);
  }

  /** ANSI styling, or none at all. */
  private record Style(boolean on) {
    String severity(Severity s, String text) {
      if (!on) return text;
      String code = switch (s) {
        case CRITICAL -> "\u001b[1;91m";
        case HIGH -> "\u001b[31m";
        case MEDIUM -> "\u001b[33m";
        case LOW -> "\u001b[36m";
        case INFO -> "\u001b[2m";
      };
      return code + text + RESET;
    }

    String bold(String text) {
      return on ? "\u001b[1m" + text + RESET : text;
    }

    String dim(String text) {
      return on ? "\u001b[2m" + text + RESET : text;
    }
  }
}
