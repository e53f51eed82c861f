package io.github.cgscanner.http;

import io.github.cgscanner.domain.Projects;
import io.github.cgscanner.domain.ScanStatus;
import io.github.cgscanner.domain.Severity;
import io.github.cgscanner.store.FindingQuery;
import io.github.cgscanner.store.PageCursor;
import io.github.cgscanner.store.ScanQuery;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The query parameters of the paged lists (SPEC "Lists are paged"), checked before anything is read: a
 * bad value is a 400, never an empty page. A cursor is bound to its list and filters by its signature.
 */
final class Paging {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> STATES = Set.of("open", "false_positive", "accepted_risk", "suppressed", "rejected");
  private static final Set<String> BASELINE_STATES = Set.of("new", "unchanged");

  /** A parameter that is not acceptable; its message is fit for the answer. */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private Paging() {}

  record ScanList(ScanQuery query, String listName) {}

  static ScanList scans(RoutingContext ctx, String owner, byte[] key) {
    String project = param(ctx, "project");
    if (project != null && !Projects.isSlug(project)) throw new Invalid("project must be a project name (a slug)");
    String status = param(ctx, "status");
    if (status != null) {
      try {
        ScanStatus.parse(status);
      } catch (IllegalArgumentException e) {
        throw new Invalid("status must be one of queued, fetching, scanning, completed, failed, cancelled");
      }
    }
    int limit = limit(ctx, DEFAULT_LIMIT);
    String listName = "scans|project=" + (project == null ? "" : project) + "|status=" + (status == null ? "" : status);
    ScanQuery.Position after = null;
    String cursor = param(ctx, "cursor");
    if (cursor != null) {
      JsonObject p = verify(key, listName, cursor);
      if (!(p.getValue("c") instanceof Number c) || !(p.getValue("i") instanceof String i)) throw new Invalid("the cursor is not valid");
      after = new ScanQuery.Position(c.longValue(), i);
    }
    return new ScanList(new ScanQuery(owner, project, status, limit, after), listName);
  }

  static String cursor(byte[] key, String listName, ScanQuery.Position next) {
    return next == null ? null : PageCursor.sign(key, listName, new JsonObject().put("c", next.createdAtMillis()).put("i", next.id()));
  }

  record FindingList(FindingQuery query, String listName) {}

  /** @return null when the request asks for the whole list, unfiltered (the route's original answer) */
  static FindingList findings(RoutingContext ctx, String scanId, byte[] key) {
    Set<String> severities = values(ctx, "severity", null);
    Set<String> states = values(ctx, "state", STATES);
    Set<String> baselineStates = values(ctx, "baselineState", BASELINE_STATES);
    String rawLimit = param(ctx, "limit");
    String cursor = param(ctx, "cursor");
    if (severities.isEmpty() && states.isEmpty() && baselineStates.isEmpty() && rawLimit == null && cursor == null) return null;
    int limit = rawLimit == null ? 0 : limit(ctx, DEFAULT_LIMIT);
    String listName = "findings|" + scanId + "|severity=" + String.join(",", severities) + "|state=" + String.join(",", states)
        + "|baselineState=" + String.join(",", baselineStates) + "|limit=" + (limit > 0);
    long after = 0;
    if (cursor != null) {
      JsonObject p = verify(key, listName, cursor);
      if (!(p.getValue("s") instanceof Number s)) throw new Invalid("the cursor is not valid");
      after = s.longValue();
    }
    return new FindingList(new FindingQuery(severities, states, baselineStates, limit, after), listName);
  }

  static String cursor(byte[] key, String listName, long nextAfterSeq) {
    return nextAfterSeq <= 0 ? null : PageCursor.sign(key, listName, new JsonObject().put("s", nextAfterSeq));
  }

  private static JsonObject verify(byte[] key, String listName, String cursor) {
    try {
      return PageCursor.verify(key, listName, cursor);
    } catch (PageCursor.Invalid e) {
      throw new Invalid("the cursor is not valid for this list (it comes from another list, other filters, or was altered)");
    }
  }

  private static Set<String> values(RoutingContext ctx, String name, Set<String> allowed) {
    String raw = param(ctx, name);
    Set<String> out = new LinkedHashSet<>();
    if (raw == null) return out;
    for (String v : raw.split(",")) {
      String value = v.trim();
      Severity severity = allowed == null ? Severity.parse(value) : null;
      if (allowed == null ? severity == null : !allowed.contains(value)) throw new Invalid(name + " has an unknown value");
      out.add(severity != null ? severity.wire() : value);
    }
    return out;
  }

  private static int limit(RoutingContext ctx, int fallback) {
    String raw = param(ctx, "limit");
    if (raw == null) return fallback;
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new Invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static String param(RoutingContext ctx, String name) {
    var all = ctx.queryParam(name);
    if (all.size() > 1) throw new Invalid(name + " is given more than once");
    String v = all.isEmpty() ? null : all.get(0);
    return v == null || v.isEmpty() ? null : v;
  }
}
