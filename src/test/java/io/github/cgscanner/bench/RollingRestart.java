package io.github.cgscanner.bench;

import io.github.cgscanner.it.Http;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One step of a rolling restart: SIGTERM to a worker, its exit, the hand-over of the scans it coordinated
 * (each names another coordinator in its record, or has ended), then a new JVM in its place.
 */
final class RollingRestart {
  final Replica old;
  final Set<String> coordinated = new LinkedHashSet<>();
  int openScans;
  long sigtermAt;
  long handedAt;
  long exitedAt;
  long readyAt;
  Replica replacement;

  RollingRestart(Replica old) {
    this.old = old;
  }

  /** SIGTERM, then polls a peer until the worker has exited and every scan it coordinated names another coordinator. */
  void terminate(ScanStream stream, Http peer, long timeoutMs) throws Exception {
    stream.refresh(peer);
    for (ScanStream.Submitted s : stream.submitted) {
      JsonObject scan = stream.last.get(s.id());
      if (scan == null || ScanStream.isFinal(scan)) continue;
      openScans++;
      if (old.nodeId.equals(scan.getString("coordinator"))) coordinated.add(s.id());
    }
    sigtermAt = System.currentTimeMillis();
    old.leaving = true;
    old.process.process().destroy();
    long deadline = sigtermAt + timeoutMs;
    while ((handedAt == 0 || exitedAt == 0) && System.currentTimeMillis() < deadline) {
      if (exitedAt == 0 && !old.process.process().isAlive()) exitedAt = System.currentTimeMillis();
      if (handedAt == 0 && handedOver(peer)) handedAt = System.currentTimeMillis();
      Thread.sleep(50);
    }
    old.http.close();
  }

  private boolean handedOver(Http peer) throws Exception {
    for (String id : coordinated) {
      var r = peer.get("/api/v1/scans/" + id);
      if (r.statusCode() != 200) return false;
      JsonObject scan = r.bodyAsJsonObject();
      if (!ScanStream.isFinal(scan) && old.nodeId.equals(scan.getString("coordinator"))) return false;
    }
    return true;
  }

  double handOverSeconds() {
    return handedAt == 0 ? -1 : (handedAt - sigtermAt) / 1000.0;
  }

  double exitSeconds() {
    return exitedAt == 0 ? -1 : (exitedAt - sigtermAt) / 1000.0;
  }

  String figure() {
    return String.format(Locale.ROOT, "%s: %d of %d open scans coordinated there; hand-over %.1f s, exit %.1f s after SIGTERM; "
            + "replacement ready %.1f s after the exit", old.name(), coordinated.size(), openScans, handOverSeconds(), exitSeconds(),
        readyAt == 0 || exitedAt == 0 ? -1 : (readyAt - exitedAt) / 1000.0);
  }

  /**
   * Review prompts by the chunk they carry (its headers and numbered lines, which differ between the generated
   * repos even where paths are the same): how often each chunk was asked.
   */
  static Map<String, Long> requestsPerChunk(List<String> prompts) {
    return prompts.stream().filter(p -> !p.contains("\n{\"id\":") && p.contains("=== FILE: "))
        .map(p -> p.substring(p.indexOf("=== FILE: ")))
        .collect(Collectors.groupingBy(k -> k, HashMap::new, Collectors.counting()));
  }
}
