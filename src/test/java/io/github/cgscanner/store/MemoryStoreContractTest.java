package io.github.cgscanner.store;

import io.vertx.core.Vertx;
import java.time.Duration;

/** The contract on the memory store, where it applies (it has no fencing and no heartbeats: nothing outlives its workers). */
class MemoryStoreContractTest extends ScanStoreContract {
  @Override
  protected ScanStore open(Vertx vertx, Duration retention, boolean keepLatestPerProject) {
    return new MemoryScanStore(vertx, retention, 1000);
  }

  @Override
  protected ScanStore reopen(Vertx vertx) {
    return null;
  }
}
