package io.github.cgscanner.rules;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Runs the {@link RuleCatalog} over one file: at most one match per rule and line, ordered by line.
 * Stateless and thread-safe.
 */
public final class LocalRules {

  /** Minified or generated lines: too costly to pattern-match and rarely meaningful to report. */
  private static final int MAX_LINE = 4_000;

  public List<RuleMatch> find(String path, String text) {
    return find(path, text, ConfigValues.NONE);
  }

  /** @param config what the repository's configuration files set, for rules that read configured values */
  public List<RuleMatch> find(String path, String text, ConfigValues config) {
    if (text == null || text.isEmpty()) return List.of();
    Lang lang = Lang.of(path);
    String[] raw = text.split("\n", -1);
    CodeLines code = CodeLines.of(raw, lang);
    CodeFile file = new CodeFile(lang, code, config);
    String codeText = file.text;
    String lowerText = text.toLowerCase(Locale.ROOT);
    String[] lowerLines = lowerText.split("\n", -1);
    List<RuleMatch> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Rule rule : RuleCatalog.RULES) {
      if (!rule.mayMatch(lowerText)) continue;
      String[] lines = rule.onRawText() ? raw : code.lines();
      List<Integer> candidates = new ArrayList<>();
      for (int n = 0; n < lines.length; n++) {
        if (lines[n].length() <= MAX_LINE && rule.mayMatch(lowerLines[n])) candidates.add(n);
      }
      for (Probe probe : rule.probes()) {
        if (!probe.langs().contains(lang)) continue;
        if (probe.requireInFile() != null && !probe.requireInFile().matcher(codeText).find()) continue;
        if (probe.multiline()) {
          acrossLines(rule, probe, codeText, seen, out);
          continue;
        }
        for (int n : candidates) {
          BitSet strings = rule.onRawText() ? null : code.inString()[n];
          if (!seen.contains(rule.name() + "@" + (n + 1)) && fires(probe, lines[n], strings, file, n)) {
            seen.add(rule.name() + "@" + (n + 1));
            out.add(rule.match(n + 1, n + 1));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(RuleMatch::line).thenComparing(RuleMatch::rule));
    return out;
  }

  /** Whether the probe matches {@code line} at a place outside string literals ({@code strings} null: anywhere). */
  private static boolean fires(Probe probe, String line, BitSet strings, CodeFile file, int n) {
    if (probe.requireOnLine() != null && !probe.requireOnLine().matcher(line).find()) return false;
    if (probe.unlessOnLine() != null && probe.unlessOnLine().matcher(line).find()) return false;
    Matcher m = probe.pattern().matcher(line);
    while (m.find()) {
      if ((strings == null || !strings.get(m.start())) && probe.argAccepts(line, m.end(), file.lang)
          && (probe.when() == null || probe.when().test(new Site(file, n, m.start(), m.end())))) {
        return true;
      }
    }
    return false;
  }

  private static void acrossLines(Rule rule, Probe probe, String codeText, Set<String> seen, List<RuleMatch> out) {
    Matcher m = probe.pattern().matcher(codeText);
    LineIndex index = null;
    while (m.find()) {
      if (index == null) index = new LineIndex(codeText);
      int line = index.lineOf(m.start());
      if (seen.add(rule.name() + "@" + line)) out.add(rule.match(line, index.endLineOf(m.start(), m.end())));
    }
  }
}
