package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A store that passes everything on, for tests to override one operation. */
class ForwardingStore implements ScanStore {
  private final ScanStore delegate;

  ForwardingStore(ScanStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<Void> saveScan(JsonObject record) {
    return delegate.saveScan(record);
  }

  @Override
  public Future<JsonObject> scan(String id) {
    return delegate.scan(id);
  }

  @Override
  public Future<List<JsonObject>> scans() {
    return delegate.scans();
  }

  @Override
  public Future<Boolean> replaceScan(JsonObject expected, JsonObject replacement) {
    return delegate.replaceScan(expected, replacement);
  }

  @Override
  public Future<Void> appendEvents(String scanId, List<ScanEvent> events) {
    return delegate.appendEvents(scanId, events);
  }

  @Override
  public Future<List<ScanEvent>> events(String scanId, long after, int max) {
    return delegate.events(scanId, after, max);
  }

  @Override
  public Future<Void> deleteScan(String scanId, long lastSeq) {
    return delegate.deleteScan(scanId, lastSeq);
  }

  @Override
  public Future<Integer> sweep() {
    return delegate.sweep();
  }
}
