package io.github.cgscanner.http;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CancelScan;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.store.IncompleteLogException;
import io.github.cgscanner.store.ScanRecords;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The read routes of one scan, its cancel, its event stream and its reports. Any worker answers for any scan. */
final class ScanRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ScanRoutes.class);
  private static final long RELAY_TIMEOUT_MS = 15_000;

  private final Vertx vertx;
  private final ScanStore store;
  private final WorkerExecutor blocking;
  private final Reports reports;
  private final CoordinatorClient coordinators;

  ScanRoutes(Vertx vertx, ScanStore store, WorkerExecutor blocking, Reports reports) {
    this.vertx = vertx;
    this.store = store;
    this.blocking = blocking;
    this.reports = reports;
    this.coordinators = new CoordinatorClient(vertx.eventBus());
  }

  /** A page of the visible scans; the caller's visibility is applied to every page, whatever the cursor. */
  void list(RoutingContext ctx) {
    Auth.Caller caller = ctx.get(Auth.CALLER);
    String owner = caller.admin() ? null : caller.owner();
    store.cursorKey().onSuccess(key -> {
      Paging.ScanList request;
      try {
        request = Paging.scans(ctx, owner, key);
      } catch (Paging.Invalid e) {
        ApiErrors.send(ctx, 400, "invalid_request", e.getMessage());
        return;
      }
      store.listScans(request.query()).onSuccess(page -> {
        JsonArray out = new JsonArray();
        page.scans().stream().filter(s -> Auth.canSee(caller, s)).forEach(s -> out.add(new JsonObject()
            .put("id", s.getString("id"))
            .put("project", s.getString("project"))
            .put("status", s.getString("status"))
            .put("createdAt", s.getString("createdAt"))
            .put("source", s.getJsonObject("source"))
            .put("progress", s.getJsonObject("progress"))
            .put("findingsBySeverity", s.getJsonObject("findingsBySeverity"))));
        json(ctx, 200, new JsonObject().put("scans", out).put("next", Paging.cursor(key, request.listName(), page.next())));
      }).onFailure(err -> storeFailed(ctx, err));
    }).onFailure(err -> storeFailed(ctx, err));
  }

  private static void storeFailed(RoutingContext ctx, Throwable err) {
    LOG.warn("the scan store did not answer: {}", err.getMessage());
    ApiErrors.send(ctx, 503, "store_unavailable", "the scan store did not answer; try again");
  }

  void get(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> json(ctx, 200, ScanRecords.publicView(s)));
  }

  /** Every finding (checked whole against the scan's log), or, with filters or a limit, a page of them. */
  void findings(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> store.cursorKey().onSuccess(key -> {
      String id = s.getString("id");
      Paging.FindingList request;
      try {
        request = Paging.findings(ctx, id, key);
      } catch (Paging.Invalid e) {
        ApiErrors.send(ctx, 400, "invalid_request", e.getMessage());
        return;
      }
      Future<Buffer> body = request == null
          ? store.findings(s).compose(f -> blocking.executeBlocking(() -> reports.findings(id, f), false))
          : store.findingsPage(id, request.query()).compose(page -> blocking.executeBlocking(() -> {
              JsonArray arr = new JsonArray(page.findings());
              return new JsonObject().put("scanId", id).put("findings", arr)
                  .put("next", Paging.cursor(key, request.listName(), page.nextAfterSeq())).toBuffer();
            }, false));
      body.onSuccess(b -> ctx.response().putHeader("Content-Type", "application/json").end(b))
          .onFailure(err -> readFailed(ctx, s, err));
    }).onFailure(err -> storeFailed(ctx, err)));
  }

  void sarif(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> store.findings(s)
        .compose(f -> blocking.executeBlocking(() -> reports.sarif(ScanRecords.publicView(s), f), false))
        .onSuccess((Buffer sarif) -> ctx.response().putHeader("Content-Type", "application/sarif+json")
            .putHeader("Content-Disposition", "attachment; filename=\"report.sarif\"")
            .end(sarif))
        .onFailure(err -> readFailed(ctx, s, err)));
  }

  /** A report is whole or not given: a log with a hole is a 503, never a shorter list. */
  private static void readFailed(RoutingContext ctx, JsonObject scan, Throwable err) {
    if (err instanceof IncompleteLogException) {
      LOG.warn("{}", err.getMessage());
      ApiErrors.send(ctx, 503, "store_unavailable", "the scan's event log is incomplete; its report cannot be given whole");
    } else {
      LOG.warn("scan {}: its findings could not be read: {}", scan.getString("id"), err.getMessage());
      ApiErrors.send(ctx, 503, "store_unavailable", "the scan store did not answer; try again");
    }
  }

  void events(RoutingContext ctx) {
    long lastEventId = parseLastEventId(ctx.request().getHeader("Last-Event-ID"));
    visibleScan(ctx).onSuccess(s -> {
      if (ScanRecords.isFinal(s) && lastEventId >= ScanRecords.lastSeq(s)) {
        ctx.response().setStatusCode(204).end();
        return;
      }
      new SseStream(vertx, store, s.getString("id"), ctx.response(), lastEventId).start();
    });
  }

  void cancel(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> coordinators.cancel(s.getString(ScanRecords.COORDINATOR_NODE), new CancelScan(s.getString("id")))
        // A coordinator the event bus does not reach may still be reached through the database.
        .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS ? relayCancel(s) : Future.failedFuture(err))
        .onSuccess(scan -> json(ctx, 200, scan))
        .onFailure(err -> {
          int code = err instanceof ReplyException re ? re.failureCode() : 500;
          if (code == 409) {
            ApiErrors.send(ctx, 409, "conflict", "the scan has already finished (" + err.getMessage() + ")");
          } else if (code == 404) {
            ApiErrors.send(ctx, 404, "not_found", "no such scan");
          } else {
            ApiErrors.send(ctx, 503, "unavailable", "the scan's coordinator did not answer; try again");
          }
        }));
  }

  private Future<JsonObject> relayCancel(JsonObject s) {
    JsonObject cancel = new JsonObject().put("node", s.getString(ScanRecords.COORDINATOR_NODE)).put("scanId", s.getString("id"));
    return vertx.eventBus().<JsonObject>request(Addresses.CANCEL_RELAY, cancel, new DeliveryOptions().setSendTimeout(RELAY_TIMEOUT_MS))
        .map(m -> ScanRecords.publicView(m.body()));
  }

  /** The stored scan when the caller may see it; otherwise answers 404 itself and never completes. */
  private Future<JsonObject> visibleScan(RoutingContext ctx) {
    Auth.Caller caller = ctx.get(Auth.CALLER);
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
      ApiErrors.send(ctx, 404, "not_found", "no such scan");
      return Future.future(p -> {});
    }
    return store.scan(id).compose(s -> {
      if (s == null || !Auth.canSee(caller, s)) {
        ApiErrors.send(ctx, 404, "not_found", "no such scan");
        return Future.future(p -> {});
      }
      return Future.succeededFuture(s);
    }, err -> {
      ApiErrors.send(ctx, 503, "store_unavailable", "the scan store did not answer; try again");
      return Future.future(p -> {});
    });
  }

  private static long parseLastEventId(String header) {
    if (header == null) return 0;
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
