package io.github.cgscanner.scan;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** The latest state each key of this worker announced on {@code scanner.keys.<nodeId>}. */
final class KeyStates {
  private final int configuredKeys;
  private final Map<String, JsonObject> latest = new HashMap<>();

  KeyStates(int configuredKeys) {
    this.configuredKeys = configuredKeys;
  }

  void update(JsonObject state) {
    latest.put(state.getString("key"), state);
  }

  /** Keys that have not spoken yet count as usable: they are starting. */
  boolean anyUsable() {
    if (configuredKeys == 0) return false;
    long disabled = latest.values().stream().filter(s -> "disabled".equals(s.getString("state"))).count();
    return disabled < configuredKeys;
  }

  /** Free request slots of this worker's keys, for the load registry. */
  int freeSlots() {
    int free = 0;
    for (JsonObject s : latest.values()) {
      if (!"disabled".equals(s.getString("state"))) {
        free += Math.max(0, s.getInteger("capacity", 0) - s.getInteger("inFlight", 0));
      }
    }
    return free;
  }
}
