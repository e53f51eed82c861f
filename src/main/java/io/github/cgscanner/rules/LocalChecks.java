package io.github.cgscanner.rules;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.domain.LineOrdinals;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.rules.secrets.Redactor;
import io.github.cgscanner.rules.secrets.SecretDetector;
import io.github.cgscanner.rules.secrets.SecretKind;
import io.github.cgscanner.rules.secrets.SecretMatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The checks that need no model, for one file: secrets are found and masked first, then the rules run on
 * the masked text, so nothing this class returns (findings, snippets, hints, text) holds a secret in clear.
 * Pure and thread-safe; meant for a worker pool.
 */
public final class LocalChecks {
  static final String SECRETS = "secrets";
  static final String RULES = "rules";
  private static final int MAX_SNIPPET = 2_000;

  private final SecretDetector secrets = new SecretDetector();
  private final LocalRules rules = new LocalRules();

  public LocalChecks() {}

  public LocalCheckResult check(String path, String text) {
    return check(path, text, ConfigValues.NONE);
  }

  /** @param config what the repository's configuration files set (some rules judge configured values) */
  public LocalCheckResult check(String path, String text, ConfigValues config) {
    String source = text == null ? "" : text;
    List<SecretMatch> found = secrets.find(path, source);
    String masked = Redactor.mask(source, found);
    List<RuleMatch> hints = rules.find(path, masked, config);
    String[] lines = masked.split("\n", -1);

    List<Draft> drafts = secretDrafts(found);
    for (RuleMatch r : hints) {
      drafts.add(new Draft(RULES, "rules/" + r.rule(), r.cwe(), r.title(), r.severity(), r.confidence(), r.line(),
          r.endLine(), r.description(), r.recommendation()));
    }
    return new LocalCheckResult(finish(path, lines, drafts), masked, hints);
  }

  /** The secrets check alone, for a file no other check reads (vendored, ignored, excluded): its findings. */
  public List<Finding> checkSecrets(String path, String text) {
    String source = text == null ? "" : text;
    List<SecretMatch> found = secrets.find(path, source);
    if (found.isEmpty()) return List.of();
    return finish(path, Redactor.mask(source, found).split("\n", -1), secretDrafts(found));
  }

  private static List<Draft> secretDrafts(List<SecretMatch> found) {
    List<Draft> drafts = new ArrayList<>();
    for (SecretMatch s : found) {
      SecretKind k = SecretKind.of(s.type());
      drafts.add(new Draft(SECRETS, "secrets/" + s.type(), "CWE-798", k.title(), k.severity(), s.confidence().wire(),
          s.line(), s.endLine(), k.description(), k.recommendation()));
    }
    return drafts;
  }

  private static List<Finding> finish(String path, String[] lines, List<Draft> drafts) {
    List<Finding> findings = new ArrayList<>(drafts.size());
    int[] ordinals = drafts.isEmpty() ? new int[0] : LineOrdinals.of(Arrays.asList(lines));
    for (Draft d : drafts) findings.add(d.finish(path, lines, ordinals));
    findings.sort(Comparator.comparingInt(Finding::startLine).thenComparing(Finding::ruleId));
    return findings;
  }

  /** A finding before its id and snippet, which come from the masked lines it covers. */
  private record Draft(String source, String ruleId, String cwe, String title, Severity severity, String confidence,
      int start, int end, String description, String recommendation) {

    Finding finish(String path, String[] lines, int[] ordinals) {
      String flagged = String.join("\n", Arrays.copyOfRange(lines, start - 1, Math.min(end, lines.length)));
      String id = FindingIds.id(source, FindingIds.family(source, ruleId, cwe), path, FindingIds.normalise(lines[start - 1]),
          ordinals[start - 1]);
      String snippet = flagged.length() <= MAX_SNIPPET ? flagged : flagged.substring(0, MAX_SNIPPET) + "…";
      return new Finding(id, ruleId, cwe, title, severity, confidence, path, start, end, snippet, description,
          recommendation, source);
    }
  }
}
