package io.github.cgscanner.protocol;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** The requests any verticle makes to a coordinator, local or remote, with their timeouts. */
public final class CoordinatorClient {
  /** A lease round that takes longer than this is abandoned; what it granted is released. */
  public static final long LEASE_TIMEOUT_MS = 10_000;
  private static final long SUBMIT_TIMEOUT_MS = 30_000;
  private static final long CANCEL_TIMEOUT_MS = 10_000;

  private final EventBus bus;

  public CoordinatorClient(EventBus bus) {
    this.bus = bus;
  }

  /** @return the Scan as the coordinator recorded it */
  public Future<JsonObject> submit(String node, SubmitScan submit) {
    return bus.<JsonObject>request(Addresses.submit(node), submit.toJson(), new DeliveryOptions().setSendTimeout(SUBMIT_TIMEOUT_MS))
        .map(m -> m.body());
  }

  public Future<JsonObject> cancel(String node, CancelScan cancel) {
    return bus.<JsonObject>request(Addresses.cancel(node), cancel.toJson(), new DeliveryOptions().setSendTimeout(CANCEL_TIMEOUT_MS))
        .map(m -> m.body());
  }

  public Future<LeaseGrant> lease(String node, LeaseRequest request) {
    return bus.<JsonObject>request(Addresses.lease(node), request.toJson(), new DeliveryOptions().setSendTimeout(LEASE_TIMEOUT_MS))
        .map(m -> LeaseGrant.fromJson(m.body()));
  }

  public void release(String node, LeaseRelease release) {
    bus.send(Addresses.release(node), release.toJson());
  }

  /** @param replyTo the task's {@code replyTo}: its coordinator's result address */
  public void result(String replyTo, TaskResult result) {
    bus.send(replyTo, result.toJson());
  }

  public Future<Load> load(String node, long timeoutMs) {
    return bus.<JsonObject>request(Addresses.load(node), null, new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs))
        .map(m -> Load.fromJson(m.body()));
  }
}
