package io.github.cgscanner.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * One database, embedded H2 or PostgreSQL: a HikariCP pool under Vert.x's JDBC client (which runs every
 * statement on a worker thread, never on an event loop), migrated by Flyway at open from the shared
 * folder {@code db/migration/common} and the engine's own ({@code db/migration/h2} or {@code postgresql}).
 */
public final class Database implements AutoCloseable {
  public enum Engine {
    H2("h2"), POSTGRESQL("postgresql");

    final String folder;

    Engine(String folder) {
      this.folder = folder;
    }
  }

  /** How to reach it. {@code password} is never logged. */
  public record Target(Engine engine, String jdbcUrl, String user, String password, int poolSize, String displayName) {
    @Override
    public String toString() {
      return displayName;
    }
  }

  private final Vertx vertx;
  private final Target target;
  private final HikariDataSource dataSource;
  private final Pool pool;

  private Database(Vertx vertx, Target target, HikariDataSource dataSource, Pool pool) {
    this.vertx = vertx;
    this.target = target;
    this.dataSource = dataSource;
    this.pool = pool;
  }

  /**
   * Connects and migrates, on a worker thread.
   *
   * @return a failed future with the driver's error when the database cannot be reached or migrated
   */
  public static Future<Database> open(Vertx vertx, Target target) {
    return vertx.executeBlocking(() -> {
      HikariDataSource ds = new HikariDataSource(hikari(target));
      try {
        try (Connection c = ds.getConnection()) {
          c.isValid(5);
        }
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(ds)
            .locations("classpath:db/migration/common", "classpath:db/migration/" + target.engine().folder)
            .load()
            .migrate();
      } catch (RuntimeException | SQLException e) {
        ds.close();
        throw e;
      }
      Pool pool = JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(target.poolSize()).setName("scanner-store"));
      return new Database(vertx, target, ds, pool);
    }, false);
  }

  private static HikariConfig hikari(Target target) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(target.jdbcUrl());
    c.setUsername(target.user());
    c.setPassword(target.password());
    c.setMaximumPoolSize(target.poolSize());
    c.setMinimumIdle(Math.min(2, target.poolSize()));
    c.setPoolName("scanner-store");
    // A statement waits at most this long for a connection: an outage fails fast and is retried by the caller.
    c.setConnectionTimeout(5_000);
    c.setValidationTimeout(2_000);
    // The pool is created even when the database is down; the first connection above says why.
    c.setInitializationFailTimeout(-1);
    if (target.engine() == Engine.POSTGRESQL) {
      c.addDataSourceProperty("ApplicationName", "chatgpt-security-scanner");
      c.addDataSourceProperty("reWriteBatchedInserts", "true");
      c.addDataSourceProperty("connectTimeout", "5");
      c.addDataSourceProperty("socketTimeout", "60");
    }
    return c;
  }

  public Engine engine() {
    return target.engine();
  }

  public Pool pool() {
    return pool;
  }

  public Target target() {
    return target;
  }

  public Future<Void> closeAsync() {
    return pool.close().eventually(() -> vertx.executeBlocking(() -> {
      dataSource.close();
      return null;
    }, false)).mapEmpty();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
