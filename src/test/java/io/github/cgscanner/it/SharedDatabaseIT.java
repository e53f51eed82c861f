package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered workers (real JVMs, TCP-IP join on 127.0.0.1) on one real PostgreSQL: a scan submitted
 * to one is read in full from the other, and from both again after both were restarted; the database
 * going away makes readiness false and submissions unacknowledged until it is back.
 */
class SharedDatabaseIT {
  static final String[] KEYS_A = {"sk-test-shared-a0-000000000000", "sk-test-shared-a1-111111111111"};
  static final String[] KEYS_B = {"sk-test-shared-b0-000000000000", "sk-test-shared-b1-111111111111"};

  @TempDir static Path tmp;
  static Vertx vertx;
  static ModelSimulator sim;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    String[] all = {KEYS_A[0], KEYS_A[1], KEYS_B[0], KEYS_B[1]};
    sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(all).latency(30, 0.2).seed(21).build());
    Http.await(sim.start(), 10);
    Files.writeString(tmp.resolve("pw"), PostgresServer.shared().password() + "\n");
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(sim.close(), 10);
    Http.await(vertx.close(), 10);
  }

  static final class Pair implements AutoCloseable {
    final ScannerProcess a;
    final ScannerProcess b;
    boolean showLogsOnFailure;

    Pair(ScannerProcess a, ScannerProcess b) {
      this.a = a;
      this.b = b;
    }

    ScannerProcess a() {
      return a;
    }

    ScannerProcess b() {
      return b;
    }

    @Override
    public void close() throws Exception {
      if (showLogsOnFailure) System.out.println("=== A\n" + a.log() + "\n=== B\n" + b.log());
      a.close();
      b.close();
    }
  }

  static Map<String, String> env(String[] keys, String url, String cluster, int port, String members, int minSize) throws Exception {
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), keys);
    env.putAll(ScannerProcess.env("CLUSTER_NAME", cluster, "CLUSTER_HOST", "127.0.0.1", "CLUSTER_PORT", Integer.toString(port),
        "CLUSTER_MEMBERS", members, "CLUSTER_MIN_SIZE", Integer.toString(minSize), "CLUSTER_JOIN_TIMEOUT", "30s",
        "CLUSTER_EVENTBUS_PORT", Integer.toString(ScannerProcess.freePort())));
    env.putAll(ScannerProcess.env("SCANNER_DB_URL", url, "SCANNER_DB_USER", PostgresServer.USER,
        "SCANNER_DB_PASSWORD_FILE", tmp.resolve("pw").toString(), "SCANNER_DB_POOL_SIZE", "4"));
    return env;
  }

  static Pair startPair(String url) throws Exception {
    int pa = ScannerProcess.freePort();
    int pb = ScannerProcess.freePort();
    String members = "127.0.0.1:" + pa + ",127.0.0.1:" + pb;
    String name = "shared-" + UUID.randomUUID();
    ScannerProcess a = ScannerProcess.serve(tmp, env(KEYS_A, url, name, pa, members, 1));
    ScannerProcess b = ScannerProcess.serve(tmp, env(KEYS_B, url, name, pb, members, 2));
    return new Pair(a, b);
  }

  @Test
  void aScanSubmittedToOneWorkerIsReadInFullFromTheOtherAndFromBothAfterBothRestart() throws Exception {
    String url = PostgresServer.shared().newDatabase("shared_it");
    TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 30, 31);
    Path zip = repo.zip(tmp.resolve("repo.zip"));
    String id;
    StoreRestartIT.Snapshot fromA;
    try (Pair pair = startPair(url); Http a = new Http(pair.a().baseUrl(), null); Http b = new Http(pair.b().baseUrl(), null)) {
      pair.showLogsOnFailure = true;
      id = ApiAssert.accepted(a.postFile("/api/v1/scans", "application/zip", zip));
      JsonObject done = ApiAssert.awaitFinal(a, id, 120);
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      fromA = StoreRestartIT.Snapshot.read(a, id);
      StoreRestartIT.Snapshot fromB = StoreRestartIT.Snapshot.read(b, id);
      assertEquals(fromA, fromB, "any worker answers for any scan, from the database");
      assertFalse(fromA.findings().isEmpty());
      assertNotEquals(ClusterIT.nodeId(b), fromA.scan().getString("coordinator"), "B did not coordinate it");
      assertTrue(pair.a().log().contains("scan store: PostgreSQL at jdbc:postgresql://127.0.0.1:"), pair.a().log());
      assertFalse(pair.a().log().contains(PostgresServer.shared().password()), "the password is never logged");
      pair.showLogsOnFailure = false;
    }
    try (Pair pair = startPair(url); Http a = new Http(pair.a().baseUrl(), null); Http b = new Http(pair.b().baseUrl(), null)) {
      assertEquals(fromA, StoreRestartIT.Snapshot.read(b, id), "after a restart of the whole cluster");
      assertEquals(fromA, StoreRestartIT.Snapshot.read(a, id));
      JsonArray listed = b.get("/api/v1/scans").bodyAsJsonObject().getJsonArray("scans");
      assertEquals(id, listed.getJsonObject(0).getString("id"));
    }
  }

  @Test
  void whenTheDatabaseGoesAwayTheWorkerIsNotReadyAndAcknowledgesNothingUntilItIsBack() throws Exception {
    PostgresServer own = PostgresServer.start(false);
    try {
      Path pw = Files.writeString(tmp.resolve("own-pw"), own.password());
      String url = own.newDatabase("outage");
      Map<String, String> env = ScannerProcess.env("SCANNER_DB_URL", url, "SCANNER_DB_USER", PostgresServer.USER,
          "SCANNER_DB_PASSWORD_FILE", pw.toString());
      JsonObject submission = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
          .add(new JsonObject().put("path", "a.js").put("content", "eval(userInput);\n"))));
      try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster"); Http http = new Http(scanner.baseUrl(), null)) {
        String before = ApiAssert.accepted(http.postJson("/api/v1/scans", submission));
        own.stop();
        JsonObject ready = awaitReadiness(http, 503);
        assertEquals("unavailable", ready.getString("store"), ready.encode());
        ApiAssert.error(http.postJson("/api/v1/scans", submission), 503, "store_unavailable");
        ApiAssert.error(http.get("/api/v1/scans/" + before), 503, "store_unavailable");
        own.startAgain();
        awaitReadiness(http, 200);
        String after = ApiAssert.accepted(http.postJson("/api/v1/scans", submission));
        assertEquals("completed", ApiAssert.awaitFinal(http, after, 60).getString("status"));
        assertEquals("completed", ApiAssert.awaitFinal(http, before, 60).getString("status"));
        assertFalse(scanner.log().contains(own.password()));
      }
    } finally {
      own.close();
    }
  }

  private static JsonObject awaitReadiness(Http http, int status) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      var r = http.get("/health/ready");
      if (r.statusCode() == status) return r.bodyAsJsonObject();
      Thread.sleep(250);
    }
    throw new AssertionError("readiness never answered " + status);
  }
}
