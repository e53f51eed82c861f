package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.ScanEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventFollowerTest {
  private final Vertx vertx = Vertx.vertx();
  private final MemoryScanStore store = new MemoryScanStore(vertx, Duration.ofHours(1), 10);

  @AfterEach
  void close() throws Exception {
    MemoryScanStoreTest.await(vertx.close());
  }

  private static ScanEvent event(long seq, ScanEvent.Type type) {
    return new ScanEvent(seq, type, new JsonObject().put("seq", seq));
  }

  /** Collects what a follower delivers; {@code room} says how many it takes before it reports itself full. */
  private static final class Collector implements EventFollower.Sink {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final Promise<EventFollower.End> ended = Promise.promise();
    volatile int room = Integer.MAX_VALUE;

    @Override
    public boolean accept(ScanEvent e) {
      seqs.add(e.seq());
      return --room > 0;
    }

    @Override
    public void end(EventFollower.End how) {
      ended.tryComplete(how);
    }

    EventFollower.End await() throws Exception {
      return ended.future().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void eventsStoredWhileNothingIsPublishedStillReachTheReaderThroughDone() throws Exception {
    // The record says 1, but the scan went on to its end before the reader subscribed: nothing live will come.
    MemoryScanStoreTest.await(store.appendEvents("s", List.of(event(1, ScanEvent.Type.STATUS), event(2, ScanEvent.Type.FINDING),
        event(3, ScanEvent.Type.STATUS), event(4, ScanEvent.Type.DONE))));
    MemoryScanStoreTest.await(store.saveScan(MemoryScanStoreTest.record("s", "scanning", 1)));
    Collector c = new Collector();
    vertx.runOnContext(v -> new EventFollower(vertx, store, "s", 1, c).start());
    assertEquals(EventFollower.End.DONE, c.await());
    assertEquals(List.of(2L, 3L, 4L), c.seqs);
  }

  @Test
  void liveEventsFollowTheReplayWithoutGapsOrRepeats() throws Exception {
    MemoryScanStoreTest.await(store.appendEvents("s", List.of(event(1, ScanEvent.Type.STATUS))));
    MemoryScanStoreTest.await(store.saveScan(MemoryScanStoreTest.record("s", "scanning", 1)));
    Collector c = new Collector();
    vertx.runOnContext(v -> new EventFollower(vertx, store, "s", 0, c).start());
    Thread.sleep(300);
    for (long seq = 2; seq <= 6; seq++) {
      ScanEvent e = event(seq, seq == 6 ? ScanEvent.Type.DONE : ScanEvent.Type.FINDING);
      MemoryScanStoreTest.await(store.appendEvents("s", List.of(e)));
      // Published out of order and twice, as a take-over or a lost publication can make it.
      if (seq != 3) vertx.eventBus().publish(Addresses.scanEvents("s"), e.toJson());
      vertx.eventBus().publish(Addresses.scanEvents("s"), e.toJson());
    }
    assertEquals(EventFollower.End.DONE, c.await());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), c.seqs);
  }

  @Test
  void aFullReaderIsPausedAndResumedFromTheStore() throws Exception {
    List<ScanEvent> log = new java.util.ArrayList<>();
    for (long seq = 1; seq <= 600; seq++) log.add(event(seq, seq == 600 ? ScanEvent.Type.DONE : ScanEvent.Type.FINDING));
    MemoryScanStoreTest.await(store.appendEvents("s", log));
    MemoryScanStoreTest.await(store.saveScan(MemoryScanStoreTest.record("s", "completed", 600)));
    Collector c = new Collector();
    c.room = 10;
    EventFollower[] follower = new EventFollower[1];
    vertx.runOnContext(v -> {
      follower[0] = new EventFollower(vertx, store, "s", 0, c);
      follower[0].start();
    });
    Thread.sleep(500);
    assertEquals(10, c.seqs.size(), "nothing is pushed at a reader that is full");
    c.room = Integer.MAX_VALUE;
    vertx.runOnContext(v -> follower[0].resume());
    assertEquals(EventFollower.End.DONE, c.await());
    assertEquals(600, c.seqs.size());
    assertEquals(600L, c.seqs.get(599));
  }

  @Test
  void aStreamEndsWhenItsScanIsGoneOrItsLogHasAHoleThatWillNotFill() throws Exception {
    MemoryScanStoreTest.await(store.appendEvents("gone", List.of(event(1, ScanEvent.Type.STATUS))));
    MemoryScanStoreTest.await(store.saveScan(MemoryScanStoreTest.record("gone", "scanning", 1)));
    Collector gone = new Collector();
    vertx.runOnContext(v -> new EventFollower(vertx, store, "gone", 0, gone).start());
    Thread.sleep(200);
    MemoryScanStoreTest.await(store.deleteScan("gone", 1));
    assertEquals(EventFollower.End.GONE, gone.await());

    MemoryScanStoreTest.await(store.appendEvents("holed", List.of(event(1, ScanEvent.Type.STATUS), event(3, ScanEvent.Type.DONE))));
    MemoryScanStoreTest.await(store.saveScan(MemoryScanStoreTest.record("holed", "failed", 3)));
    Collector holed = new Collector();
    vertx.runOnContext(v -> new EventFollower(vertx, store, "holed", 0, holed).start());
    assertEquals(EventFollower.End.INCOMPLETE, holed.await());
    assertEquals(List.of(1L), holed.seqs, "it never skips the hole to pass later events off as whole");
  }
}
