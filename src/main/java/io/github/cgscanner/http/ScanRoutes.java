package io.github.cgscanner.http;

import io.github.cgscanner.report.SarifReport;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.github.cgscanner.scan.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;

/** The read routes of one scan, its cancel, its event stream and its reports. Any worker answers for any scan. */
final class ScanRoutes {
  private final Vertx vertx;
  private final ScanStore store;
  private final String toolVersion;

  ScanRoutes(Vertx vertx, ScanStore store, String toolVersion) {
    this.vertx = vertx;
    this.store = store;
    this.toolVersion = toolVersion;
  }

  void list(RoutingContext ctx) {
    Auth.Caller caller = ctx.get(Auth.CALLER);
    store.allScans().onSuccess(all -> {
      JsonArray out = new JsonArray();
      all.stream()
          .filter(s -> Auth.canSee(caller, s))
          .sorted(Comparator.comparing((JsonObject s) -> s.getString("createdAt")).reversed())
          .forEach(s -> out.add(new JsonObject()
              .put("id", s.getString("id"))
              .put("status", s.getString("status"))
              .put("createdAt", s.getString("createdAt"))
              .put("source", s.getJsonObject("source"))
              .put("progress", s.getJsonObject("progress"))
              .put("findingsBySeverity", s.getJsonObject("findingsBySeverity"))));
      json(ctx, 200, new JsonObject().put("scans", out));
    }).onFailure(err -> ApiErrors.send(ctx, 500, "internal_error", "scans could not be listed"));
  }

  void get(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> json(ctx, 200, ScanStore.publicView(s)));
  }

  void findings(RoutingContext ctx) {
    visibleScan(ctx)
        .compose(s -> findingsOf(s).map(f -> {
          JsonArray arr = new JsonArray();
          f.forEach(x -> arr.add(x.toJson()));
          return new JsonObject().put("scanId", s.getString("id")).put("findings", arr);
        }))
        .onSuccess(body -> json(ctx, 200, body));
  }

  void sarif(RoutingContext ctx) {
    visibleScan(ctx)
        .compose(s -> findingsOf(s).map(f -> SarifReport.build(ScanStore.publicView(s), f, toolVersion)))
        .onSuccess(sarif -> ctx.response().putHeader("Content-Type", "application/sarif+json")
            .putHeader("Content-Disposition", "attachment; filename=\"report.sarif\"")
            .end(sarif.encodePrettily()));
  }

  void events(RoutingContext ctx) {
    long lastEventId = parseLastEventId(ctx.request().getHeader("Last-Event-ID"));
    visibleScan(ctx).onSuccess(s -> {
      long lastSeq = s.getLong("lastSeq", 0L);
      boolean finished = List.of("completed", "failed", "cancelled").contains(s.getString("status"));
      if (finished && lastEventId >= lastSeq) {
        ctx.response().setStatusCode(204).end();
        return;
      }
      new SseStream(vertx, store, s.getString("id"), ctx.response(), lastEventId).start(lastSeq);
    });
  }

  void cancel(RoutingContext ctx) {
    visibleScan(ctx).onSuccess(s -> {
      JsonObject message = new JsonObject().put("type", "cancel").put("scanId", s.getString("id"));
      vertx.eventBus().<JsonObject>request(ScanCoordinatorVerticle.address(s.getString("coordinatorNode")), message,
              new DeliveryOptions().setSendTimeout(10_000))
          .onSuccess(reply -> json(ctx, 200, reply.body()))
          .onFailure(err -> {
            int code = err instanceof ReplyException re ? re.failureCode() : 500;
            if (code == 409) {
              ApiErrors.send(ctx, 409, "conflict", "the scan has already finished (" + err.getMessage() + ")");
            } else if (code == 404) {
              ApiErrors.send(ctx, 404, "not_found", "no such scan");
            } else {
              ApiErrors.send(ctx, 503, "unavailable", "the scan's coordinator did not answer; try again");
            }
          });
    });
  }

  /** The stored scan when the caller may see it; otherwise answers 404 itself and never completes. */
  private Future<JsonObject> visibleScan(RoutingContext ctx) {
    Auth.Caller caller = ctx.get(Auth.CALLER);
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
      ApiErrors.send(ctx, 404, "not_found", "no such scan");
      return Future.future(p -> {});
    }
    return store.getScan(id).compose(s -> {
      if (s == null || !Auth.canSee(caller, s)) {
        ApiErrors.send(ctx, 404, "not_found", "no such scan");
        return Future.future(p -> {});
      }
      return Future.succeededFuture(s);
    }, err -> {
      ApiErrors.send(ctx, 503, "unavailable", "the scan store did not answer; try again");
      return Future.future(p -> {});
    });
  }

  private Future<List<Finding>> findingsOf(JsonObject scan) {
    return store.eventsFrom(scan.getString("id"), 0).map(events -> events.stream()
        .filter(e -> "finding".equals(e.getString("type")))
        .map(e -> Finding.fromJson(e.getJsonObject("data")))
        .toList());
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
