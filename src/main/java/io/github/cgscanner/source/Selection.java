package io.github.cgscanner.source;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link FileSelector#select}.
 *
 * @param review files worth sending to the model, sorted by path
 * @param localOnly readable text files not sent to the model but still given to the local secret and
 *     rule checks (config, keys, lock files, minified code), sorted by path
 * @param skipped reason to count for every file not in {@code review}, sorted by reason
 */
public record Selection(List<SelectedFile> review, List<SelectedFile> localOnly, Map<String, Integer> skipped) {

  public int skippedTotal() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }
}
