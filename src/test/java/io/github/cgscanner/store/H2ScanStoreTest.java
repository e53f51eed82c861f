package io.github.cgscanner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.JdbcScanStore;
import io.github.cgscanner.store.jdbc.Retention;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.h2.tools.Restore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded engine: H2 2.5 in PostgreSQL mode, a file in a temporary directory. */
class H2ScanStoreTest extends ScanStoreContract {
  @TempDir Path tmp;
  private Path dir;

  static Database.Target target(Path dir) {
    return new Database.Target(Database.Engine.H2, "jdbc:h2:file:" + dir.resolve("scanner")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE", "scanner", "test-password", 4, "h2 in " + dir);
  }

  @Override
  protected ScanStore open(Vertx vertx, Duration retention, boolean keepLatestPerProject) throws Exception {
    if (dir == null) dir = Files.createTempDirectory(tmp, "h2");
    return new JdbcScanStore(await(Database.open(vertx, target(dir))), new Retention(retention, keepLatestPerProject, "test-node"));
  }

  @Override
  protected ScanStore reopen(Vertx vertx) throws Exception {
    return new JdbcScanStore(await(Database.open(vertx, target(dir))), new Retention(Duration.ofHours(1), true, "other-node"));
  }

  @Test
  void whatIsStoredSurvivesClosingAndOpeningAgain() throws Exception {
    JsonObject r = record("kept", "completed", 1_000, "o", "p");
    await(store.saveScan(r));
    await(store.close());
    store = reopen(vertx);
    assertEquals(r, await(store.scan("kept")));
  }

  /** The README's backup of the embedded database (an online BACKUP), restored into a new directory and opened there. */
  @Test
  void anOnlineBackupRestoresIntoANewDirectory() throws Exception {
    JsonObject r = record("backed-up", "completed", 1_000, "o", "p");
    await(store.saveScan(r));
    Path zip = tmp.resolve("backup.zip");
    try (Connection c = DriverManager.getConnection(target(dir).jdbcUrl(), "scanner", "test-password"); Statement s = c.createStatement()) {
      s.execute("BACKUP TO '" + zip + "'");
    }
    Path restored = tmp.resolve("restored");
    Files.createDirectories(restored);
    Restore.execute(zip.toString(), restored.toString(), "scanner");
    ScanStore copy = new JdbcScanStore(await(Database.open(vertx, target(restored))), new Retention(Duration.ofHours(1), true, "n"));
    try {
      assertEquals(r, await(copy.scan("backed-up")));
    } finally {
      await(copy.close());
    }
  }
}
