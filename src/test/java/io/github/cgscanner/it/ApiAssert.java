package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Set;

/** Assertions on the SPEC's answers, shared by the hostile-input, isolation and leak tests. */
final class ApiAssert {
  private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled");

  private ApiAssert() {}

  /** The answer has {@code status} and the SPEC error shape with {@code code} and a message of our own. */
  static JsonObject error(HttpResponse<Buffer> response, int status, String code) {
    String body = response.bodyAsString();
    assertEquals(status, response.statusCode(), body);
    assertEquals("application/json", response.getHeader("Content-Type"), body);
    JsonObject error = new JsonObject(body).getJsonObject("error");
    assertNotNull(error, body);
    assertEquals(code, error.getString("code"), body);
    String message = error.getString("message");
    assertNotNull(message, body);
    assertFalse(message.isBlank(), body);
    assertFalse(message.contains("Exception") || message.contains("\tat "), "a stack trace leaked: " + body);
    return error;
  }

  /** Polls the scan until it reaches a final status. */
  static JsonObject awaitFinal(Http http, String id, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    JsonObject scan = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> r = http.get("/api/v1/scans/" + id);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      scan = r.bodyAsJsonObject();
      if (FINAL.contains(scan.getString("status"))) return scan;
      Thread.sleep(100);
    }
    fail("scan " + id + " did not finish in " + seconds + " s: " + scan);
    return scan;
  }

  static String accepted(HttpResponse<Buffer> response) {
    assertEquals(202, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getString("id");
  }
}
