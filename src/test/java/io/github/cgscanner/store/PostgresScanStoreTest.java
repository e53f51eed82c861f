package io.github.cgscanner.store;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.JdbcScanStore;
import io.github.cgscanner.store.jdbc.Retention;
import io.vertx.core.Vertx;
import java.time.Duration;

/** The store contract on a real PostgreSQL server (the test run's own), a new database per test. */
class PostgresScanStoreTest extends ScanStoreContract {
  private String url;

  static Database.Target target(String url) {
    return new Database.Target(Database.Engine.POSTGRESQL, url, PostgresServer.USER, PostgresServer.shared().password(), 4, url);
  }

  @Override
  protected ScanStore open(Vertx vertx, Duration retention, boolean keepLatestPerProject) throws Exception {
    if (url == null) url = PostgresServer.shared().newDatabase("store_contract");
    return new JdbcScanStore(await(Database.open(vertx, target(url))), new Retention(retention, keepLatestPerProject, "test-node"));
  }

  @Override
  protected ScanStore reopen(Vertx vertx) throws Exception {
    return new JdbcScanStore(await(Database.open(vertx, target(url))), new Retention(Duration.ofHours(1), true, "other-node"));
  }
}
