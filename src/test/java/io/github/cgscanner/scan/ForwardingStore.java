package io.github.cgscanner.scan;

import io.github.cgscanner.protocol.ScanEvent;
import io.github.cgscanner.store.FindingPage;
import io.github.cgscanner.store.FindingQuery;
import io.github.cgscanner.store.ScanPage;
import io.github.cgscanner.store.ScanQuery;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.StoredTask;
import java.time.Duration;
import java.util.Set;
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
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public Future<ScanPage> listScans(ScanQuery query) {
    return delegate.listScans(query);
  }

  @Override
  public Future<List<JsonObject>> unfinishedOrRecent(Duration recent) {
    return delegate.unfinishedOrRecent(recent);
  }

  @Override
  public Future<FindingPage> findingsPage(String scanId, FindingQuery query) {
    return delegate.findingsPage(scanId, query);
  }

  @Override
  public Future<Void> heartbeat(String nodeId) {
    return delegate.heartbeat(nodeId);
  }

  @Override
  public Future<Set<String>> liveNodes(Duration within) {
    return delegate.liveNodes(within);
  }

  @Override
  public Future<byte[]> cursorKey() {
    return delegate.cursorKey();
  }

  @Override
  public Future<Void> ping() {
    return delegate.ping();
  }

  @Override
  public Future<Void> saveTasks(String scanId, long ownerVersion, List<StoredTask> tasks) {
    return delegate.saveTasks(scanId, ownerVersion, tasks);
  }

  @Override
  public Future<Void> updateTasks(String scanId, long ownerVersion, List<StoredTask> tasks) {
    return delegate.updateTasks(scanId, ownerVersion, tasks);
  }

  @Override
  public Future<List<StoredTask>> tasks(String scanId) {
    return delegate.tasks(scanId);
  }

  @Override
  public Future<Void> deleteTasks(String scanId) {
    return delegate.deleteTasks(scanId);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
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
  public Future<Void> appendEvents(String scanId, long ownerVersion, List<ScanEvent> events) {
    return delegate.appendEvents(scanId, ownerVersion, events);
  }

  @Override
  public Future<Void> leave(String nodeId) {
    return delegate.leave(nodeId);
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
