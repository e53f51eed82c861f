package io.github.cgscanner.scan;

/** Tells dispatchers (this worker's, and the peers helping with a sharded scan) that a scan has tasks waiting. */
interface WorkNotifier {
  void workAvailable(ScanRun scan);
}
