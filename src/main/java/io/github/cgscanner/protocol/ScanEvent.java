package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** One entry of a scan's event log: consecutive {@code seq} from 1, as SSE sends them. */
public record ScanEvent(long seq, Type type, JsonObject data) {
  public enum Type {
    STATUS, PROGRESS, FINDING, DONE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Type parse(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("type", type.wire()).put("data", data);
  }

  public static ScanEvent fromJson(JsonObject j) {
    return new ScanEvent(j.getLong("seq"), Type.parse(j.getString("type")), j.getJsonObject("data"));
  }
}
