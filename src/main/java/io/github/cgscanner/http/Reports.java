package io.github.cgscanner.http;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.report.SarifReport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The bodies of the findings and SARIF routes. A scan can have tens of thousands of findings, so these
 * are built and encoded on the blocking pool, never on an event loop.
 */
class Reports {
  private final String toolVersion;

  Reports(String toolVersion) {
    this.toolVersion = toolVersion;
  }

  Buffer findings(String scanId, List<Finding> findings) {
    JsonArray arr = new JsonArray();
    findings.forEach(f -> arr.add(f.toJson()));
    return new JsonObject().put("scanId", scanId).put("findings", arr).toBuffer();
  }

  Buffer sarif(JsonObject scan, List<Finding> findings) {
    return Buffer.buffer(SarifReport.build(scan, findings, toolVersion).encodePrettily());
  }
}
