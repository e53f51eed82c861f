package io.github.cgscanner.scan;

import io.github.cgscanner.cluster.LoadRegistry;
import io.github.cgscanner.config.ScannerConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shares a big scan with the least-loaded peers: their dispatchers then lease its tasks like the local one. */
final class Recruiter {
  private static final Logger LOG = LoggerFactory.getLogger(Recruiter.class);

  private final ScannerConfig.Scan limits;
  private final boolean clustered;
  private final String nodeId;
  private final LoadRegistry registry;
  private final RunEvents events;
  private final WorkNotifier notifier;

  Recruiter(ScannerConfig.Scan limits, boolean clustered, String nodeId, LoadRegistry registry, RunEvents events,
      WorkNotifier notifier) {
    this.limits = limits;
    this.clustered = clustered;
    this.nodeId = nodeId;
    this.registry = registry;
    this.events = events;
    this.notifier = notifier;
  }

  /** Peers to recruit for a scan of {@code filesTotal} files: none below the threshold or when alone. */
  static int helpersWanted(ScannerConfig.Scan scan, boolean clustered, int filesTotal) {
    if (!clustered || filesTotal < scan.shardThreshold() || scan.maxWorkersPerScan() < 2) return 0;
    return scan.maxWorkersPerScan() - 1;
  }

  void recruit(ScanRun run) {
    int wanted = helpersWanted(limits, clustered, run.files.total);
    if (wanted == 0) return;
    registry.helpers(nodeId, wanted).onComplete(ar -> {
      if (!run.scanningNow()) return;
      List<String> peers = ar.succeeded() ? ar.result() : List.of();
      if (peers.isEmpty()) {
        LOG.info("scan {}: {} files, but no peer can help; it stays on this worker", run.id, run.files.total);
        return;
      }
      for (String peer : peers) {
        if (!run.sharing.workers.contains(peer)) run.sharing.workers.add(peer);
      }
      run.sharing.sharded = true;
      events.saved(run);
      notifier.workAvailable(run);
      LOG.info("scan {}: {} files shared with {} ({} ms to pick)", run.id, run.files.total, peers,
          System.currentTimeMillis() - run.sharing.scanningAt);
    });
  }
}
