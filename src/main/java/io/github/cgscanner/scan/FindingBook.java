package io.github.cgscanner.scan;

import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.domain.Finding;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of one scan: de-duplicates what overlapping chunks or repeated answers report twice,
 * and gives model findings their stable ids (local findings arrive with ids already).
 */
final class FindingBook {
  private final List<Finding> findings = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final Set<String> locations = new HashSet<>();
  /** (source, ruleId, path, text) → the start lines seen, in arrival order: the occurrence index. */
  private final Map<String, List<Integer>> occurrences = new HashMap<>();

  /** @return the finding as recorded, or null when it repeats one already recorded */
  Finding addModelFinding(JsonObject raw) {
    String source = raw.getString("source", "llm");
    String ruleId = raw.getString("ruleId");
    String path = raw.getString("path");
    int start = raw.getInteger("startLine");
    int end = raw.getInteger("endLine");
    if (!locations.add(source + '\0' + ruleId + '\0' + path + '\0' + start + '\0' + end)) {
      return null;
    }
    String text = FindingIds.normalise(raw.getString("flaggedText", ""));
    List<Integer> starts = occurrences.computeIfAbsent(source + '\0' + ruleId + '\0' + path + '\0' + text, k -> new ArrayList<>());
    starts.add(start);
    String id = FindingIds.id(source, ruleId, path, text, starts.size() - 1);
    while (ids.contains(id)) {
      starts.add(start);
      id = FindingIds.id(source, ruleId, path, text, starts.size() - 1);
    }
    JsonObject withId = raw.copy().put("id", id).put("source", source);
    withId.remove("flaggedText");
    withId.remove("evidence");
    Finding f = Finding.fromJson(withId);
    ids.add(id);
    findings.add(f);
    return f;
  }

  /** Local findings carry their id; a repeat (same id) is dropped. */
  Finding addLocalFinding(Finding f) {
    if (!ids.add(f.id())) return null;
    locations.add(f.source() + '\0' + f.ruleId() + '\0' + f.path() + '\0' + f.startLine() + '\0' + f.endLine());
    findings.add(f);
    return f;
  }

  List<Finding> all() {
    return List.copyOf(findings);
  }

  int size() {
    return findings.size();
  }
}
