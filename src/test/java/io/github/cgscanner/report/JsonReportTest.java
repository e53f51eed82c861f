package io.github.cgscanner.report;

import static io.github.cgscanner.report.ReportFixtures.mixed;
import static io.github.cgscanner.report.ReportFixtures.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.domain.Finding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {
  @Test
  void holdsTheScanAndEveryFindingInSpecShape() {
    JsonObject scan = scan("archive", "shop.zip", null);
    List<Finding> findings = mixed();
    JsonObject report = new JsonObject(JsonReport.build(scan, findings).encode());
    assertEquals(scan, report.getJsonObject("scan"));
    assertEquals(io.github.cgscanner.domain.FindingIds.ID_VERSION, report.getInteger("idVersion"), "which id formula the ids follow");
    JsonArray list = report.getJsonArray("findings");
    assertEquals(findings.size(), list.size());
    for (int i = 0; i < findings.size(); i++) assertEquals(findings.get(i), Finding.fromJson(list.getJsonObject(i)));
    assertEquals(null, list.getJsonObject(3).getValue("cwe"));
    assertEquals(true, list.getJsonObject(3).containsKey("cwe"), "SPEC: cwe is present, null when unknown");
  }
}
