package io.github.cgscanner.cluster;

import io.github.cgscanner.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every worker's load, as published by its {@link LoadRegistryVerticle} in the async map
 * {@code scanner.load} (a Hazelcast map when clustered, a local one otherwise): who can help with a
 * big scan, who has room for a forwarded submit, and what {@code GET /api/v1/cluster} shows.
 */
public final class LoadRegistry {
  public static final String MAP = Addresses.LOAD_MAP;
  /** The local-map key of this worker's latest entry (in {@code scanner.node}). */
  public static final String SELF_KEY = "load";

  private final Vertx vertx;

  public LoadRegistry(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  Future<Void> publish(JsonObject entry, long ttlMs) {
    return map().compose(m -> m.put(entry.getString("nodeId"), entry, ttlMs));
  }

  public Future<Void> withdraw(String nodeId) {
    return map().compose(m -> m.remove(nodeId)).mapEmpty();
  }

  /**
   * Every live entry (any order). Liveness is the entry's TTL, counted by the map itself: a timestamp
   * written by the peer would make a peer whose clock is a few seconds off look dead.
   */
  public Future<List<JsonObject>> members() {
    return map().compose(AsyncMap::values).map(List::copyOf);
  }

  /** Up to {@code max} peers to share a scan with, least loaded first. */
  public Future<List<String>> helpers(String self, int max) {
    return members().map(all -> pickHelpers(all, self, max));
  }

  /** Peers that would admit one more scan, least loaded first. */
  public Future<List<String>> withRoom(String self) {
    return members().map(all -> pickWithRoom(all, self));
  }

  /**
   * Peers with a usable key the coordinator does not hold first: a replica holding only the
   * coordinator's keys draws from the same cluster-wide budgets, so it adds no model throughput, and
   * is recruited only when no other peer can help. Within each kind, most free key slots first, then
   * fewest running scans; peers without a usable key cannot help.
   */
  static List<String> pickHelpers(List<JsonObject> entries, String self, int max) {
    Set<String> mine = new HashSet<>();
    List<JsonObject> candidates = new ArrayList<>();
    for (JsonObject e : entries) {
      if (self.equals(e.getString("nodeId"))) {
        e.getJsonArray("keyHashes", new JsonArray()).forEach(h -> mine.add((String) h));
      } else if (usableKeys(e) > 0) {
        candidates.add(e);
      }
    }
    candidates.sort(Comparator.<JsonObject>comparingInt(e -> addsKeys(e, mine) ? 0 : 1)
        .thenComparingInt(e -> -e.getInteger("freeSlots", 0))
        .thenComparingInt(e -> e.getInteger("running", 0))
        .thenComparing(e -> e.getString("nodeId")));
    return candidates.stream().limit(Math.max(0, max)).map(e -> e.getString("nodeId")).toList();
  }

  /** Whether a peer has a usable key that is not among {@code mine} (its hashes: keys never leave their worker). */
  static boolean addsKeys(JsonObject entry, Set<String> mine) {
    for (Object h : entry.getJsonArray("keyHashes", new JsonArray())) {
      if (!mine.contains((String) h)) return true;
    }
    return false;
  }

  static List<String> pickWithRoom(List<JsonObject> entries, String self) {
    List<JsonObject> candidates = new ArrayList<>();
    for (JsonObject e : entries) {
      if (!self.equals(e.getString("nodeId")) && hasRoom(e)) candidates.add(e);
    }
    candidates.sort(Comparator.<JsonObject>comparingInt(e -> e.getInteger("running", 0) + e.getInteger("queued", 0))
        .thenComparingInt(e -> -e.getInteger("freeSlots", 0))
        .thenComparing(e -> e.getString("nodeId")));
    return candidates.stream().map(e -> e.getString("nodeId")).toList();
  }

  static boolean hasRoom(JsonObject e) {
    return e.getInteger("running", 0) < e.getInteger("maxRunning", 0) || e.getInteger("queued", 0) < e.getInteger("maxQueued", 0);
  }

  static int usableKeys(JsonObject e) {
    int n = 0;
    for (Object k : e.getJsonArray("keys", new JsonArray())) {
      if (!"disabled".equals(((JsonObject) k).getString("state"))) n++;
    }
    return n;
  }

  /** Free request slots of the keys that are not disabled. */
  static int freeSlots(List<JsonObject> keyStates) {
    int free = 0;
    for (JsonObject s : keyStates) {
      if (!"disabled".equals(s.getString("state"))) {
        free += Math.max(0, s.getInteger("capacity", 0) - s.getInteger("inFlight", 0));
      }
    }
    return free;
  }
}
