package io.github.cgscanner.report;

import io.github.cgscanner.domain.Finding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The CLI's {@code --format json}: the Scan and its findings, each in SPEC shape. */
public final class JsonReport {
  private JsonReport() {}

  public static JsonObject build(JsonObject scan, List<Finding> findings) {
    JsonArray list = new JsonArray();
    for (Finding f : findings) list.add(f.toJson());
    return new JsonObject().put("scan", scan == null ? new JsonObject() : scan.copy()).put("findings", list);
  }
}
