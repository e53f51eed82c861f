package io.github.cgscanner.report;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.domain.FindingIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The CLI's {@code --format json}: the id formula's version, the Scan and its findings, each in SPEC shape. */
public final class JsonReport {
  private JsonReport() {}

  public static JsonObject build(JsonObject scan, List<Finding> findings) {
    JsonArray list = new JsonArray();
    for (Finding f : findings) list.add(f.toJson());
    JsonObject s = scan == null ? new JsonObject() : scan.copy();
    Object idVersion = s.getValue("idVersion") instanceof Number n ? n : FindingIds.ID_VERSION;
    return new JsonObject().put("idVersion", idVersion).put("scan", s).put("findings", list);
  }
}
