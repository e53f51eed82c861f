package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingIds;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The findings of one scan: gives model findings their stable ids ({@link FindingIds}) from the part
 * they were found in, and keeps one finding per id, whatever overlapping chunks, retries or the order
 * of answers bring twice (local findings arrive with ids already).
 */
final class FindingBook {
  private final List<Finding> findings = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();

  /**
   * @param part the part of the task the finding's path points into (validation guarantees one)
   * @return the finding as recorded, or null when one with its id is recorded already
   */
  Finding addModelFinding(JsonObject raw, ReviewTask.Part part) {
    String source = raw.getString("source", "llm");
    String path = raw.getString("path");
    int start = raw.getInteger("startLine");
    String firstLine = FindingIds.normalise(part.lines().get(start - part.startLine()));
    String family = FindingIds.family(source, raw.getString("ruleId"), raw.getString("cwe"));
    String id = FindingIds.id(source, family, path, firstLine, part.ordinal(start));
    if (!ids.add(id)) return null;
    JsonObject withId = raw.copy().put("id", id).put("source", source);
    withId.remove("flaggedText");
    withId.remove("evidence");
    Finding f = Finding.fromJson(withId);
    findings.add(f);
    return f;
  }

  /** Local findings carry their id; a repeat (same id) is dropped. */
  Finding addLocalFinding(Finding f) {
    if (!ids.add(f.id())) return null;
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
