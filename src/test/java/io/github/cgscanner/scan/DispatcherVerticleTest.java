package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.LeaseGrant;
import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.LeaseRequest;
import io.github.cgscanner.protocol.Pull;
import io.github.cgscanner.protocol.PullReply;
import io.github.cgscanner.protocol.ReviewTask;
import io.github.cgscanner.protocol.WorkAvailable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DispatcherVerticleTest {
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aLeaseRoundWhoseAnswerNeverCameIsReleasedSoNothingStaysLeasedToNobody(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<String> round = new AtomicReference<>();
    // A coordinator that grants (perhaps) but whose answer is lost.
    vertx.eventBus().<JsonObject>consumer(Addresses.lease("c1"), m -> round.set(LeaseRequest.fromJson(m.body()).requestId()));
    vertx.eventBus().<JsonObject>consumer(Addresses.release("c1"), m -> ctx.verify(() -> {
      LeaseRelease release = LeaseRelease.fromJson(m.body());
      assertEquals("s1", release.scanId());
      assertEquals(round.get(), release.requestId(), "the lost round is released whole");
      ctx.completeNow();
    }));
    vertx.deployVerticle(new DispatcherVerticle("n1")).onComplete(ctx.succeeding(id -> {
      vertx.eventBus().send(Addresses.work("n1"), new WorkAvailable("s1", "c1", List.of()).toJson());
      vertx.eventBus().request(Addresses.pull("n1"), new Pull("key-0", 2, "gpt-5.4-mini").toJson(), new DeliveryOptions().setSendTimeout(25_000));
    }));
  }

  /**
   * A scan restricted to one model ({@code options.models}) is leased only for pulls of keys serving
   * it: the pull of another model's key gets the unrestricted scan's tasks, never the restricted one's.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aScanOfOneModelIsLeasedOnlyForKeysOfThatModel(Vertx vertx, VertxTestContext ctx) {
    List<String> leasedScans = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.lease("c1"), m -> {
      LeaseRequest request = LeaseRequest.fromJson(m.body());
      leasedScans.add(request.scanId());
      List<String> models = request.scanId().equals("onprem") ? List.of("local-model") : List.of();
      ReviewTask task = new ReviewTask(request.scanId() + ":0", request.scanId(), "r", "lease", 0, 1000, models, null, null, List.of(), 1);
      m.reply(new LeaseGrant(List.of(task), true, 5).toJson());
    });
    DeliveryOptions wait = new DeliveryOptions().setSendTimeout(25_000);
    vertx.deployVerticle(new DispatcherVerticle("n1"))
        .compose(id -> {
          vertx.eventBus().send(Addresses.work("n1"), new WorkAvailable("onprem", "c1", List.of("local-model")).toJson());
          var other = vertx.eventBus().<JsonObject>request(Addresses.pull("n1"), new Pull("key-0", 1, "gpt-5.4-mini").toJson(), wait);
          return vertx.timer(300).compose(t -> {
            ctx.verify(() -> assertEquals(List.of(), leasedScans, "nothing is leased for a key of another model"));
            vertx.eventBus().send(Addresses.work("n1"), new WorkAvailable("open", "c1", List.of()).toJson());
            return other;
          });
        })
        .compose(otherReply -> {
          ctx.verify(() -> assertEquals("open", PullReply.fromJson(otherReply.body()).tasks().get(0).scanId()));
          return vertx.eventBus().<JsonObject>request(Addresses.pull("n1"), new Pull("key-1", 1, "local-model").toJson(), wait);
        })
        .onComplete(ctx.succeeding(localReply -> ctx.verify(() -> {
          ReviewTask task = PullReply.fromJson(localReply.body()).tasks().get(0);
          assertEquals("onprem", task.scanId());
          assertTrue(task.allows("local-model"));
          assertEquals(List.of("open", "onprem"), leasedScans);
          ctx.completeNow();
        })));
  }
}
