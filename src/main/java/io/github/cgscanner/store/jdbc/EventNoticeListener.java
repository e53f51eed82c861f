package io.github.cgscanner.store.jdbc;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.CancelScan;
import io.github.cgscanner.store.EventFollower;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs to {@link EventNotices#CHANNEL} on a connection of its own and passes each notice of another
 * worker to this worker's {@link EventFollower}s of that scan, which then read the new events from the
 * store; and to {@link EventNotices#CANCELS}, passing cancels of this worker's scans to its coordinator.
 * pgjdbc waits for notices in a blocking call, so it runs on a one-thread pool of its own, a short wait
 * at a time, never on an event loop. A broken connection is opened again; notices sent
 * meanwhile are lost, and followers find those events with their periodic look at the store.
 */
public final class EventNoticeListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventNoticeListener.class);
  private static final int WAIT_MS = 500;
  private static final long RECONNECT_MS = 1_000;

  private final Database db;
  private final String nodeId;
  private WorkerExecutor listening;
  private Connection connection;
  private boolean stopped;
  private boolean broken;

  public EventNoticeListener(Database db, String nodeId) {
    this.db = db;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    listening = vertx.createSharedWorkerExecutor("scanner-pg-listen", 1);
    listen();
    return Future.succeededFuture();
  }

  private void listen() {
    if (stopped) return;
    listening.executeBlocking(this::nextNotices).onComplete(ar -> {
      if (ar.succeeded()) {
        if (broken) LOG.info("listening to stored-event notices again");
        broken = false;
        ar.result().forEach(this::passOn);
        listen();
      } else {
        if (!broken && !stopped) LOG.warn("stored-event notices: {}; readers poll the store until they are back", ar.cause().getMessage());
        broken = true;
        listening.executeBlocking(() -> {
          closeConnection();
          return null;
        }).onComplete(v -> vertx.setTimer(RECONNECT_MS, t -> listen()));
      }
    });
  }

  /** Runs on the listening thread only. */
  private List<PGNotification> nextNotices() throws SQLException {
    if (connection == null) {
      Connection c = db.openDedicated();
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + EventNotices.CHANNEL);
        s.execute("LISTEN " + EventNotices.CANCELS);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications(WAIT_MS);
    return got == null ? List.of() : List.of(got);
  }

  private void passOn(PGNotification n) {
    String payload = n.getParameter() == null ? "" : n.getParameter();
    if (EventNotices.CANCELS.equals(n.getName())) {
      String[] parts = payload.split(" ", 2);
      if (parts.length == 2 && parts[0].equals(nodeId)) {
        vertx.eventBus().request(Addresses.cancel(nodeId), new CancelScan(parts[1]).toJson())
            .onFailure(err -> LOG.debug("scan {}: relayed cancel: {}", parts[1], err.getMessage()));
      }
      return;
    }
    EventNotices.Notice notice = EventNotices.Notice.parse(payload);
    // This worker's own events reach its followers as live events already.
    if (notice != null && !notice.nodeId().equals(nodeId)) {
      vertx.eventBus().publish(EventFollower.storedAddress(notice.scanId()), notice.lastSeq());
    }
  }

  private void closeConnection() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException e) {
      // already broken: nothing to release
    }
    connection = null;
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return listening.executeBlocking(() -> {
      closeConnection();
      return null;
    }).eventually(() -> listening.close());
  }
}
