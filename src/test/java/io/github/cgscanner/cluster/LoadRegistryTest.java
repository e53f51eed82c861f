package io.github.cgscanner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadRegistryTest {
  private static final long NOW = 1_000_000;

  static JsonObject entry(String node, int freeSlots, int running, int queued, long age, String... keyStates) {
    JsonArray keys = new JsonArray();
    for (int i = 0; i < keyStates.length; i++) keys.add(new JsonObject().put("key", "key-" + i).put("state", keyStates[i]));
    return new JsonObject().put("nodeId", node).put("freeSlots", freeSlots).put("running", running).put("queued", queued)
        .put("maxRunning", 2).put("maxQueued", 1).put("keys", keys).put("updatedAt", NOW - age);
  }

  @Test
  void helpersAreTheLeastLoadedPeersWithAUsableKey() {
    List<JsonObject> entries = List.of(
        entry("self", 99, 0, 0, 0, "healthy"),
        entry("busy", 2, 1, 0, 0, "healthy"),
        entry("idle", 16, 0, 0, 0, "healthy", "throttled"),
        entry("dead-keys", 40, 0, 0, 0, "disabled", "disabled"),
        entry("idle-but-running", 16, 2, 0, 0, "healthy"));
    assertEquals(List.of("idle", "idle-but-running", "busy"), LoadRegistry.pickHelpers(entries, "self", 5));
    assertEquals(List.of("idle"), LoadRegistry.pickHelpers(entries, "self", 1));
    assertEquals(List.of(), LoadRegistry.pickHelpers(entries, "self", 0));
    assertEquals(List.of(), LoadRegistry.pickHelpers(List.of(entries.get(0)), "self", 4), "never itself");
  }

  @Test
  void aPeerWhoseClockIsOffIsStillAPeer() {
    // Written by peers whose clocks are 10 s behind and 10 s ahead: liveness is the entry's TTL, not its timestamp.
    List<JsonObject> entries = List.of(entry("behind", 8, 0, 0, 10_000, "healthy"), entry("ahead", 4, 0, 0, -10_000, "healthy"));
    assertEquals(List.of("behind", "ahead"), LoadRegistry.pickHelpers(entries, "self", 2));
    assertEquals(List.of("ahead", "behind"), LoadRegistry.pickWithRoom(entries, "self").stream().sorted().toList());
  }

  static JsonObject withKeys(JsonObject entry, String... hashes) {
    return entry.put("keyHashes", new JsonArray(List.of((Object[]) hashes)));
  }

  @Test
  void aPeerWithKeysTheCoordinatorLacksIsRecruitedBeforeAReplicaOfItsOwnKeys() {
    List<JsonObject> entries = List.of(
        withKeys(entry("self", 0, 1, 0, 0, "healthy", "healthy"), "h0", "h1"),
        withKeys(entry("replica-idle", 32, 0, 0, 0, "healthy", "healthy"), "h0", "h1"),
        withKeys(entry("replica-half", 16, 0, 0, 0, "healthy"), "h1"),
        withKeys(entry("other-busy", 2, 1, 0, 0, "healthy"), "h7"),
        withKeys(entry("other-idle", 8, 0, 0, 0, "healthy", "healthy"), "h0", "h9"));
    assertEquals(List.of("other-idle", "other-busy"), LoadRegistry.pickHelpers(entries, "self", 2),
        "least loaded among the peers whose keys differ, however idle the replicas are");
    assertEquals(List.of("other-idle", "other-busy", "replica-idle", "replica-half"), LoadRegistry.pickHelpers(entries, "self", 9),
        "replicas holding only the coordinator's keys come last");
    assertEquals(List.of("replica-idle"), LoadRegistry.pickHelpers(entries.subList(0, 3), "self", 1),
        "with no other peer, a replica still shares the work (its keys draw from the same budgets)");
  }

  @Test
  void roomMeansARunningOrAQueueSlotLeft() {
    List<JsonObject> entries = List.of(
        entry("self", 16, 0, 0, 0, "healthy"),
        entry("full", 16, 2, 1, 0, "healthy"),
        entry("queue-left", 16, 2, 0, 0, "healthy"),
        entry("empty", 4, 0, 0, 0, "healthy"));
    assertEquals(List.of("empty", "queue-left"), LoadRegistry.pickWithRoom(entries, "self"));
  }

  @Test
  void freeSlotsIgnoreDisabledKeys() {
    List<JsonObject> keys = List.of(
        new JsonObject().put("state", "healthy").put("capacity", 8).put("inFlight", 3),
        new JsonObject().put("state", "throttled").put("capacity", 8).put("inFlight", 9),
        new JsonObject().put("state", "disabled").put("capacity", 8).put("inFlight", 0));
    assertEquals(5, LoadRegistry.freeSlots(keys));
  }

  @Test
  void entriesLiveInTheAsyncMapAndExpire() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LoadRegistry registry = new LoadRegistry(vertx);
      long now = System.currentTimeMillis();
      JsonObject a = entry("a", 4, 0, 0, 0, "healthy").put("updatedAt", now);
      JsonObject b = entry("b", 8, 0, 0, 0, "healthy").put("updatedAt", now);
      registry.publish(a, 300).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      registry.publish(b, 10_000).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(List.of("b", "a"), registry.helpers("self", 3).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
      Thread.sleep(600);
      List<JsonObject> left = registry.members().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(List.of("b"), left.stream().map(e -> e.getString("nodeId")).toList(), "a's entry outlived its TTL");
      registry.withdraw("b").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertTrue(registry.members().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).isEmpty());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }
}
