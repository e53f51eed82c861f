package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.store.jdbc.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write outside a transaction is committed at once, also on a pooled connection that ran a
 * transaction before (Vert.x's JDBC client leaves such a connection in manual commit), on both engines.
 */
class DatabaseCommitTest {
  @TempDir Path tmp;
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    JdbcReviewCacheTest.await(vertx.close());
  }

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    Database.Target target = H2ScanStoreTest.target(Files.createTempDirectory(tmp, "h2"));
    check(target, () -> DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password()));
  }

  @Test
  void onPostgreSql() throws Exception {
    Database.Target target = PostgresScanStoreTest.target(PostgresServer.shared().newDatabase("commits"));
    check(target, () -> DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password()));
  }

  interface Opener {
    Connection open() throws Exception;
  }

  private void check(Database.Target target, Opener another) throws Exception {
    Database db = JdbcReviewCacheTest.await(Database.open(vertx, target));
    try {
      // Every pooled connection runs a transaction first.
      List<Future<?>> transactions = new ArrayList<>();
      for (int i = 0; i < 8; i++) transactions.add(db.pool().withTransaction(c -> c.query("SELECT 1").execute()));
      JdbcReviewCacheTest.await(Future.join(new ArrayList<>(transactions)));
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        writes.add(db.pool().preparedQuery("INSERT INTO workers (node_id, seen_at) VALUES (?, ?)").execute(Tuple.of("node-" + i, 1L)));
      }
      JdbcReviewCacheTest.await(Future.join(new ArrayList<>(writes)));
      try (Connection c = another.open(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM workers")) {
        rs.next();
        assertEquals(100, rs.getLong(1), "every write is visible to another session at once");
      }
    } finally {
      db.close();
    }
  }
}
