package io.github.cgscanner.store;

import java.util.Set;

/**
 * Which findings of one scan a page shows, in the order they were found; an empty set means any.
 *
 * @param limit at most this many; 0 for all of them
 * @param afterSeq the event sequence number the previous page ended at, or 0
 */
public record FindingQuery(Set<String> severities, Set<String> states, Set<String> baselineStates, int limit, long afterSeq) {
  public static FindingQuery all() {
    return new FindingQuery(Set.of(), Set.of(), Set.of(), 0, 0);
  }
}
