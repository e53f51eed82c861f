package io.github.cgscanner.it;

import static io.github.cgscanner.it.ApiAssert.accepted;
import static io.github.cgscanner.it.ApiAssert.awaitFinal;
import static io.github.cgscanner.it.ApiAssert.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens through the running service: no token, a wrong one or one in the query string is 401
 * everywhere but {@code /health/*}; a scan is visible only to the token that submitted it and to admin
 * tokens; {@code serve} refuses an open bind without tokens.
 */
class IsolationIT {
  static final String TOK_A = "tokA-isolation-test-0123456789";
  static final String TOK_B = "tokB-isolation-test-9876543210";
  static final String ADMIN = "tokAdmin-isolation-test-55555";

  @TempDir Path tmp;

  static JsonObject files(String path) {
    return new JsonObject().put("source", new JsonObject().put("files",
        new JsonArray().add(new JsonObject().put("path", path).put("content", "print('hi')\n"))));
  }

  @Test
  void eachTokenSeesOnlyItsOwnScans() throws Exception {
    Map<String, String> env = ScannerProcess.env("SCANNER_API_TOKENS", TOK_A + "," + TOK_B, "SCANNER_ADMIN_TOKENS", ADMIN);
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster");
         Http anonymous = new Http(scanner.baseUrl(), null);
         Http a = new Http(scanner.baseUrl(), TOK_A);
         Http b = new Http(scanner.baseUrl(), TOK_B);
         Http wrong = new Http(scanner.baseUrl(), "tokC-not-configured");
         Http admin = new Http(scanner.baseUrl(), ADMIN)) {
      assertEquals(200, anonymous.get("/health/live").statusCode());
      assertEquals(200, anonymous.get("/health/ready").statusCode());

      String idA = accepted(a.postJson("/api/v1/scans", files("a.py")));
      String idB = accepted(b.postJson("/api/v1/scans", files("b.py")));
      awaitFinal(a, idA, 60);
      awaitFinal(b, idB, 60);

      List<String> protectedGets = List.of("/api/v1/scans", "/api/v1/scans/" + idA, "/api/v1/scans/" + idA + "/findings",
          "/api/v1/scans/" + idA + "/events", "/api/v1/scans/" + idA + "/report.sarif", "/api/v1/cluster", "/metrics",
          "/api/v1/no-such-route");
      for (Http client : List.of(anonymous, wrong)) {
        for (String path : protectedGets) error(client.get(path), 401, "unauthorized");
        error(client.postJson("/api/v1/scans", files("c.py")), 401, "unauthorized");
        error(client.delete("/api/v1/scans/" + idA), 401, "unauthorized");
      }
      HttpResponse<Buffer> challenged = anonymous.get("/api/v1/scans");
      assertEquals("Bearer", challenged.getHeader("WWW-Authenticate"));

      for (String query : List.of("?access_token=", "?token=", "?bearer=")) {
        error(anonymous.get("/api/v1/scans/" + idA + query + TOK_A), 401, "unauthorized");
      }
      WebClient raw = WebClient.create(anonymous.vertx());
      for (String header : List.of("Basic " + TOK_A, "Token " + TOK_A, "Bearer", "Bearer ", TOK_A, "Bearer " + TOK_A + "x")) {
        HttpResponse<Buffer> r = Http.await(raw.getAbs(scanner.baseUrl() + "/api/v1/scans").putHeader("Authorization", header).send(), 10);
        error(r, 401, "unauthorized");
      }

      for (String path : List.of("", "/findings", "/events", "/report.sarif")) {
        error(b.get("/api/v1/scans/" + idA + path), 404, "not_found");
        error(a.get("/api/v1/scans/" + idB + path), 404, "not_found");
      }
      error(b.delete("/api/v1/scans/" + idA), 404, "not_found");
      error(b.get("/api/v1/scans/" + "AAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found");
      assertEquals(List.of(idA), ids(a));
      assertEquals(List.of(idB), ids(b));
      assertEquals(List.of(idA, idB).stream().sorted().toList(), ids(admin).stream().sorted().toList());
      assertEquals(200, admin.get("/api/v1/scans/" + idA + "/findings").statusCode());
      assertEquals(200, admin.get("/api/v1/scans/" + idB + "/report.sarif").statusCode());
      assertEquals(200, a.get("/api/v1/scans/" + idA).statusCode());
      assertEquals(200, a.get("/api/v1/cluster").statusCode());
      String owner = a.get("/api/v1/scans/" + idA).bodyAsString();
      assertFalse(owner.contains("owner"), "the owner hash is internal: " + owner);
      assertFalse(scanner.log().contains(TOK_A) || scanner.log().contains(ADMIN), "a token reached the log");
    }
  }

  private static List<String> ids(Http client) throws Exception {
    HttpResponse<Buffer> r = client.get("/api/v1/scans");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("scans").stream().map(s -> ((JsonObject) s).getString("id")).toList();
  }

  @Test
  void anOpenBindNeedsTokensOrAnExplicitOptOut() throws Exception {
    String port = Integer.toString(ScannerProcess.freePort());
    ScannerProcess.Result refused = ScannerProcess.run(tmp, ScannerProcess.env("HTTP_HOST", "0.0.0.0"), Duration.ofSeconds(60),
        "serve", "--no-cluster", "--port", port);
    assertEquals(2, refused.exitCode(), refused.stdout() + refused.stderr());
    assertTrue(refused.stderr().contains("refusing to listen on 0.0.0.0 without authentication"), refused.stderr());
    assertTrue(refused.stderr().contains("SCANNER_ALLOW_NO_AUTH"), refused.stderr());
    assertEquals(1, refused.stderr().strip().lines().count(), "one clear line: " + refused.stderr());

    try (ScannerProcess open = ScannerProcess.serve(tmp, ScannerProcess.env("HTTP_HOST", "0.0.0.0", "SCANNER_ALLOW_NO_AUTH", "true"),
        "--no-cluster");
         Http http = new Http(open.baseUrl(), null)) {
      assertEquals(200, http.get("/api/v1/scans").statusCode());
      // With the default 200 MiB upload limit, a JSON body (held in the heap) is still capped at 16 MiB.
      String json = "POST /api/v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
      String answer = RawHttp.send(open.port(), json + "Content-Length: " + ((16 << 20) + 1) + "\r\n\r\n", null);
      assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("payload_too_large"), answer);
      answer = RawHttp.send(open.port(), json + "Transfer-Encoding: chunked\r\n\r\n", 20L << 20);
      assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("payload_too_large"), answer);
      assertEquals(200, http.get("/health/live").statusCode());
    }
    try (ScannerProcess withTokens = ScannerProcess.serve(tmp, ScannerProcess.env("HTTP_HOST", "0.0.0.0", "SCANNER_API_TOKENS", TOK_A),
        "--no-cluster");
         Http http = new Http(withTokens.baseUrl(), null)) {
      error(http.get("/api/v1/scans"), 401, "unauthorized");
    }
    assertTrue(Files.isDirectory(tmp));
  }
}
