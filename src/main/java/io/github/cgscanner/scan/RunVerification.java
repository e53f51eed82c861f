package io.github.cgscanner.scan;

import io.github.cgscanner.domain.CweFamilies;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingState;
import io.github.cgscanner.domain.Verification;
import io.github.cgscanner.domain.VerifyMode;
import io.github.cgscanner.llm.VerificationPrompt;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verification pass of one scan: which findings wait for it, and what it came to. A finding it
 * covers is held from its review until its verdict (or its failure) so that it is streamed once, in its
 * final form: held while its file is still being reviewed, then awaiting while its request is built and
 * answered. Confined to the coordinator's event loop, like {@link ScanRun}; its state is plain data so a
 * durable store can keep it.
 */
final class RunVerification {
  /**
   * A model finding waiting for its verdict, with the evidence its review quoted, and the rule findings
   * at the same lines for the same weakness, which take its verdict (they are the same issue).
   */
  record Held(Finding finding, String evidence, List<Finding> companions) {}

  final VerifyMode mode;
  private final boolean modelExpected;
  private MaskedTexts texts;
  private final Map<String, List<Held>> held = new HashMap<>();
  /** Rule findings of files under review, by path, until their file's model findings are known. */
  private final Map<String, List<Finding>> heldRules = new HashMap<>();
  private final Map<String, Held> awaiting = new LinkedHashMap<>();
  /** Finding id → the key its verdict would be cached under, while it awaits one. */
  private final Map<String, String> cacheKeys = new HashMap<>();
  private int building;
  private int requested;
  private int verified;
  private int failed;
  private int confirmed;
  private int rejected;
  private int uncertain;
  private int lowered;

  RunVerification(VerifyMode mode, boolean modelExpected) {
    this.mode = mode;
    this.modelExpected = modelExpected;
  }

  /** Whether the pass runs: it was asked for, and there is a model to ask. */
  boolean active() {
    return modelExpected && mode != VerifyMode.OFF;
  }

  boolean covers(Finding f) {
    return active() && mode.covers(f);
  }

  void texts(MaskedTexts masked) {
    texts = masked;
  }

  MaskedTexts texts() {
    return texts;
  }

  void hold(Finding f, String evidence) {
    held.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(new Held(f, evidence, new ArrayList<>()));
    requested++;
  }

  void holdRule(Finding f) {
    heldRules.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f);
  }

  /** What a file's review left waiting: its model findings to verify, and its rule findings none of them covers. */
  record Reviewed(List<Held> toVerify, List<Finding> rulesAlone) {}

  /**
   * The file's review is over: its held model findings now await their verification, each with the rule
   * findings it covers (same lines, same CWE); the other rule findings are free to go.
   */
  Reviewed fileReviewed(String path) {
    List<Held> out = held.remove(path);
    List<Finding> rules = heldRules.remove(path);
    List<Finding> alone = new ArrayList<>();
    for (Finding rule : rules == null ? List.<Finding>of() : rules) {
      Held same = out == null ? null : out.stream().filter(h -> sameIssue(h.finding(), rule)).findFirst().orElse(null);
      if (same == null) {
        alone.add(rule);
      } else {
        same.companions().add(rule);
        requested++;
      }
    }
    if (out == null) return new Reviewed(List.of(), alone);
    out.forEach(h -> awaiting.put(h.finding().id(), h));
    return new Reviewed(out, alone);
  }

  private static boolean sameIssue(Finding model, Finding rule) {
    String family = CweFamilies.family(rule.cwe());
    return !family.equals(CweFamilies.NONE) && family.equals(CweFamilies.family(model.cwe()))
        && rule.startLine() <= model.endLine() && rule.endLine() >= model.startLine();
  }

  /** @return the finding awaiting a verdict under {@code id}, taken off the list; null when none is */
  Held answer(String id) {
    cacheKeys.remove(id);
    return awaiting.remove(id);
  }

  void cacheKeys(Map<String, String> keysById) {
    keysById.forEach((id, key) -> {
      if (awaiting.containsKey(id)) cacheKeys.put(id, key);
    });
  }

  String cacheKey(String id) {
    return cacheKeys.get(id);
  }

  /** Everything still held or awaiting, taken off the lists: the scan ends before it was verified. */
  Reviewed takeAll() {
    List<Held> out = new ArrayList<>();
    held.values().forEach(out::addAll);
    out.addAll(awaiting.values());
    List<Finding> rules = new ArrayList<>();
    heldRules.values().forEach(rules::addAll);
    held.clear();
    heldRules.clear();
    awaiting.clear();
    cacheKeys.clear();
    return new Reviewed(out, rules);
  }

  void buildStarted() {
    building++;
  }

  void buildEnded() {
    building--;
  }

  /** No request is being built: the scan may end once its board is idle. */
  boolean settled() {
    return building == 0;
  }

  /** A verdict was applied to {@code f}. */
  void counted(Finding f) {
    verified++;
    if (f.state() == FindingState.REJECTED) rejected++;
    else if (f.verification().verdict() == Verification.Verdict.CONFIRMED) confirmed++;
    else uncertain++;
    if (f.verification().originalSeverity() != null) lowered++;
  }

  /** A finding was reported unverified (the request failed, or the scan ended first). */
  void countedFailure() {
    failed++;
  }

  /**
   * The Scan's {@code verification}: {@code status} {@code off} (not asked for), {@code skipped} (no
   * model review), {@code running}, {@code done} (every finding it covers has a verdict) or
   * {@code partial} (some were reported unverified, counted in {@code failed}).
   */
  JsonObject toJson() {
    String status;
    if (!modelExpected) status = "skipped";
    else if (mode == VerifyMode.OFF) status = "off";
    else if (failed > 0) status = "partial";
    else if (!held.isEmpty() || !heldRules.isEmpty() || !awaiting.isEmpty() || building > 0) status = "running";
    else status = "done";
    return new JsonObject()
        .put("mode", mode.wire())
        .put("status", status)
        .put("promptVersion", VerificationPrompt.VERSION)
        .put("requested", requested)
        .put("verified", verified)
        .put("failed", failed)
        .put("confirmed", confirmed)
        .put("rejected", rejected)
        .put("uncertain", uncertain)
        .put("severityLowered", lowered);
  }
}
