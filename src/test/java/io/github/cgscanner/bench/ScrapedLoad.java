package io.github.cgscanner.bench;

/**
 * One worker's {@code GET /metrics} as the autoscaler reads it: the cluster-wide {@code scanner_scans_waiting}
 * and {@code scanner_backlog_tasks} (the same figure on every worker), and the worker's own running and
 * queued scans (what the bench's load balancer routes by).
 */
record ScrapedLoad(double waiting, double backlog, double running, double queued) {
  static ScrapedLoad parse(String exposition) {
    return new ScrapedLoad(gauge(exposition, "scanner_scans_waiting"), gauge(exposition, "scanner_backlog_tasks"),
        gauge(exposition, "scanner_scans_running"), gauge(exposition, "scanner_scans_queued"));
  }

  /** The sample of an unlabelled-but-for-{@code worker} gauge; a missing series is an error, not a zero. */
  static double gauge(String exposition, String name) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no " + name + " in the scrape");
  }

  int load() {
    return (int) (running + queued);
  }
}
