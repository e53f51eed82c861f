package io.github.cgscanner.store;

/**
 * Which scans a list shows: newest first ({@code createdAt}, then id), after {@code after} when paging on.
 *
 * @param owner only this owner's scans; null for every scan (an admin, or no authentication)
 * @param project null for any
 * @param status null for any
 * @param after where the previous page ended, or null for the first page
 */
public record ScanQuery(String owner, String project, String status, int limit, Position after) {
  /** A place in the list's order. */
  public record Position(long createdAtMillis, String id) {}
}
