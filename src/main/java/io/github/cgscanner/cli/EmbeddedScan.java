package io.github.cgscanner.cli;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.scan.ScanCoordinatorVerticle;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.scan.ScanStore;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CLI's scan: the same engine as {@code serve}, on one embedded standalone node without HTTP. */
final class EmbeddedScan {
  record Result(JsonObject scan, List<Finding> findings) {}

  private EmbeddedScan() {}

  static Result run(ScannerConfig config, SourceSpec spec, ScanOptions options, PrintStream progress, String version)
      throws Exception {
    ScannerNode node = ScannerNode.standalone(config, false, version).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      return scan(node, spec, options, progress).toCompletionStage().toCompletableFuture().get();
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Future<Result> scan(ScannerNode node, SourceSpec spec, ScanOptions options, PrintStream progress) {
    var bus = node.vertx().eventBus();
    ScanStore store = new ScanStore(node.vertx());
    JsonObject submit = new JsonObject().put("type", "submit").put("source", spec.toJson()).put("options", options.toJson());
    return bus.<JsonObject>request(ScanCoordinatorVerticle.address(node.nodeId()), submit, new DeliveryOptions().setSendTimeout(60_000))
        .compose(reply -> {
          String id = reply.body().getString("id");
          Promise<JsonObject> done = Promise.promise();
          var consumer = bus.<JsonObject>consumer("scanner.scan." + id + ".events", m -> {
            JsonObject event = m.body();
            if (progress != null && event.getString("type").equals("progress")) {
              JsonObject p = event.getJsonObject("data");
              progress.printf("\rscanning: %d/%d files, %d failed", p.getInteger("filesScanned"), p.getInteger("filesTotal"), p.getInteger("filesFailed"));
            }
            if (event.getString("type").equals("done")) done.tryComplete(event.getJsonObject("data"));
          });
          // The scan may have ended before the consumer was registered: the store knows.
          node.vertx().setPeriodic(1000, t -> store.getScan(id).onSuccess(s -> {
            if (s != null && List.of("completed", "failed", "cancelled").contains(s.getString("status"))
                && s.getLong("lastSeq", 0L) > 0) {
              store.events(id, s.getLong("lastSeq") - 1, s.getLong("lastSeq")).onSuccess(last -> {
                if (!last.isEmpty() && "done".equals(last.get(last.size() - 1).getString("type"))) done.tryComplete(ScanStore.publicView(s));
              });
            }
          }));
          return done.future().onComplete(x -> consumer.unregister()).compose(scan -> store.eventsFrom(id, 0).map(events -> {
            if (progress != null) progress.println();
            List<Finding> findings = events.stream().filter(e -> "finding".equals(e.getString("type")))
                .map(e -> Finding.fromJson(e.getJsonObject("data"))).toList();
            return new Result(scan, findings);
          }));
        });
  }
}
