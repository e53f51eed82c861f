package io.github.cgscanner.source;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link FileSelector#select}.
 *
 * @param review files worth sending to the model, sorted by path
 * @param localOnly readable text files not sent to the model but still given to the local secret and
 *     rule checks (config, keys, lock files, minified code), sorted by path
 * @param secretsOnly the other text files outside {@code .git/} (vendored, built, gitignored, excluded,
 *     too large for review), given to the secrets check only: a secret committed anywhere is leaked,
 *     whatever the skip rules say; sorted by path
 * @param skipped reason to count for every file not in {@code review}, sorted by reason
 */
public record Selection(List<SelectedFile> review, List<SelectedFile> localOnly, List<SelectedFile> secretsOnly,
    Map<String, Integer> skipped) {

  public int skippedTotal() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Files not selected for review whose text is still checked for secrets. */
  public int secretsCheckedNotSelected() {
    return localOnly.size() + secretsOnly.size();
  }
}
