package io.github.cgscanner.node;

import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.config.StoreChoice;
import io.github.cgscanner.store.MemoryScanStore;
import io.github.cgscanner.store.ScanStore;
import io.github.cgscanner.store.jdbc.Database;
import io.github.cgscanner.store.jdbc.EventNotices;
import io.github.cgscanner.store.jdbc.SharedDatabase;
import io.github.cgscanner.store.jdbc.JdbcScanStore;
import io.github.cgscanner.store.jdbc.Retention;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store a worker was configured with: memory, the embedded database under its data directory,
 * or PostgreSQL — which may not answer yet when a whole deployment starts, so it is tried again until
 * {@code patience} ({@code cluster.joinTimeout}) runs out, with one log line, never the password.
 */
final class StoreOpening {
  private static final Logger LOG = LoggerFactory.getLogger(StoreOpening.class);
  // CACHE_SIZE (KiB): the page cache is bounded and small, so the heap stays flat however much history the file holds.
  private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;CACHE_SIZE=8192";
  private static final long RETRY_MS = 2_000;
  private static final int EMBEDDED_POOL = 3;
  private static final long EMBEDDED_PATIENCE_MS = 30_000;

  record Opened(ScanStore store, Database database) {}

  private StoreOpening() {}

  static Future<Opened> open(Vertx vertx, ScannerConfig config, String nodeId, Duration patience) {
    ScannerConfig.Store s = config.store();
    Retention retention = new Retention(config.scan().retention(), s.keepLatestPerProject(), nodeId);
    if (ScannerConfig.Store.MEMORY.equals(s.kind())) {
      return Future.succeededFuture(new Opened(new MemoryScanStore(vertx, config.scan().retention(), s.maxScansInMemory()), null));
    }
    Future<Database> db = ScannerConfig.Store.POSTGRES.equals(s.kind())
        ? patiently(vertx, postgres(s), System.currentTimeMillis() + patience.toMillis(), false)
        // Processes starting at once on a new directory wait for the one that creates and migrates it.
        : vertx.executeBlocking(() -> embedded(s), false)
            .compose(target -> patiently(vertx, target, System.currentTimeMillis() + EMBEDDED_PATIENCE_MS, true));
    if (!sharedWithoutEventBus(vertx, s)) return db.map(d -> new Opened(new JdbcScanStore(d, retention), d));
    return db.compose(d -> {
      JdbcScanStore store = new JdbcScanStore(d, retention, EventNotices.from(nodeId));
      return SharedDatabase.join(vertx, d, store, nodeId).map(v -> new Opened(store, d));
    });
  }

  /** Workers on one PostgreSQL with no event bus between them (Cloud Run instances): the database carries what the bus would. */
  private static boolean sharedWithoutEventBus(Vertx vertx, ScannerConfig.Store s) {
    return ScannerConfig.Store.POSTGRES.equals(s.kind()) && !vertx.isClustered();
  }

  private static Database.Target postgres(ScannerConfig.Store s) {
    return new Database.Target(Database.Engine.POSTGRESQL, s.url(), s.user().isEmpty() ? null : s.user(),
        s.password().isEmpty() ? null : s.password(), s.poolSize(), "the database at " + StoreChoice.loggable(s.url()));
  }

  private static Future<Database> patiently(Vertx vertx, Database.Target target, long deadline, boolean said) {
    return Database.open(vertx, target).recover(err -> {
      if (System.currentTimeMillis() + RETRY_MS > deadline) {
        String what = target.engine() == Database.Engine.H2 ? " could not be opened: " : " could not be reached or migrated: ";
        return Future.failedFuture(new ConfigException(target + what + reason(err)));
      }
      if (!said) LOG.warn("{} does not answer yet ({}); trying again until cluster.joinTimeout", target, reason(err));
      Promise<Database> later = Promise.promise();
      vertx.setTimer(RETRY_MS, t -> patiently(vertx, target, deadline, true).onComplete(later));
      return later.future();
    });
  }

  /** The root cause's message: drivers put no password in theirs. */
  static String reason(Throwable err) {
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse("").trim();
  }

  /**
   * The embedded database: H2 in PostgreSQL mode, in {@code dataDir}, with a random password of its own
   * in a file only this user can read. {@code AUTO_SERVER} lets several processes (concurrent
   * {@code scan} runs) share it: the first serves it to the others on a loopback port.
   */
  private static Database.Target embedded(ScannerConfig.Store s) throws IOException {
    Path dir = s.dataDir().toAbsolutePath().normalize();
    StoreChoice.requireWritable(dir);
    if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
    String url = "jdbc:h2:file:" + dir.resolve("scanner") + H2_OPTIONS;
    // In-process: a few connections are plenty, and fewer of them to re-open when the process that
    // served the file to the others exits.
    return new Database.Target(Database.Engine.H2, url, "scanner", password(dir.resolve("db-password")), Math.min(s.poolSize(), EMBEDDED_POOL),
        "the embedded database in " + dir);
  }

  private static String password(Path file) throws IOException {
    if (Files.isRegularFile(file)) return Files.readString(file, StandardCharsets.UTF_8).trim();
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String fresh = HexFormat.of().formatHex(bytes);
    Path tmp = Files.createTempFile(file.getParent(), ".db-password", "");
    try {
      Files.setPosixFilePermissions(tmp, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own permissions protect it
    }
    Files.writeString(tmp, fresh, StandardCharsets.UTF_8);
    try {
      // A link is made only where there is none: of two processes starting at once, the first one's wins.
      Files.createLink(file, tmp);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // the other one's is the password
    } finally {
      Files.deleteIfExists(tmp);
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
