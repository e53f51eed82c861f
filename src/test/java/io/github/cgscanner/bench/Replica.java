package io.github.cgscanner.bench;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import java.util.List;

/**
 * One worker JVM of the bench with its own keys (simulator labels {@code key-<first>}…), so the
 * simulator's per-key request counts say when this replica's keys first worked.
 */
final class Replica {
  final int index;
  final List<Integer> keyLabels;
  final long startedAt;
  volatile ScannerProcess process;
  volatile Http http;
  volatile String nodeId;
  volatile long readyAt;
  volatile long firstRequestAt;
  /** Taken out of routing and scaling before its signal is sent, as an endpoint leaves a Service. */
  volatile boolean leaving;
  volatile String ending = "running at the end";
  volatile ScrapedLoad load;
  /** Submissions routed here since the last scrape, so a burst is not sent to one replica. */
  volatile int routedSinceScrape;

  Replica(int index, List<Integer> keyLabels, long startedAt) {
    this.index = index;
    this.keyLabels = keyLabels;
    this.startedAt = startedAt;
  }

  boolean ready() {
    return readyAt > 0 && !leaving && process != null && process.process().isAlive();
  }

  int routingLoad() {
    return (load == null ? 0 : load.load()) + routedSinceScrape;
  }

  String name() {
    return "r" + index;
  }
}
