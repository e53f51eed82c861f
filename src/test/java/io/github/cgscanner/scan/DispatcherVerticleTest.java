package io.github.cgscanner.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.protocol.Addresses;
import io.github.cgscanner.protocol.LeaseRelease;
import io.github.cgscanner.protocol.LeaseRequest;
import io.github.cgscanner.protocol.Pull;
import io.github.cgscanner.protocol.WorkAvailable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
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
}
