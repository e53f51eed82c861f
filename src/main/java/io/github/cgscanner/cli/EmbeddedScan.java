package io.github.cgscanner.cli;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.node.ScannerNode;
import io.github.cgscanner.protocol.CoordinatorClient;
import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.protocol.SubmitScan;
import io.github.cgscanner.source.SourceSpec;
import io.github.cgscanner.store.EventFollower;
import io.github.cgscanner.store.ScanRecords;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
      node.close(java.time.Duration.ofSeconds(30));
    }
  }

  /** Submits, follows the scan's events to {@code done} (printing progress), then reads its findings whole. */
  private static Future<Result> scan(ScannerNode node, SourceSpec spec, ScanOptions options, PrintStream progress) {
    SubmitScan submit = new SubmitScan(spec.toJson(), options, null, null);
    return new CoordinatorClient(node.vertx().eventBus()).submit(node.nodeId(), submit)
        .compose(scan -> followToEnd(node, scan.getString("id"), progress))
        .compose(id -> node.store().scan(id))
        .compose(record -> node.store().findings(record).map(findings -> {
          if (progress != null) progress.println();
          return new Result(ScanRecords.publicView(record), findings);
        }));
  }

  private static Future<String> followToEnd(ScannerNode node, String id, PrintStream progress) {
    Promise<String> done = Promise.promise();
    new EventFollower(node.vertx(), node.store(), id, 0, new EventFollower.Sink() {
      @Override
      public boolean accept(ScanEvent e) {
        if (progress != null && e.type() == ScanEvent.Type.PROGRESS) {
          JsonObject p = e.data();
          progress.printf("\rscanning: %d/%d files, %d failed", p.getInteger("filesScanned"), p.getInteger("filesTotal"),
              p.getInteger("filesFailed"));
        }
        return true;
      }

      @Override
      public void end(EventFollower.End how) {
        if (how == EventFollower.End.DONE) done.complete(id);
        else done.fail("the scan's event log ended before the scan did (" + how.name().toLowerCase() + ")");
      }
    }).start();
    return done.future();
  }
}
