package io.github.cgscanner.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the tests: Debian's binaries from {@code /usr/lib/postgresql/<v>/bin}
 * (the newest installed), a data directory in a temporary folder, the socket there too ({@code -k}), a
 * free port on 127.0.0.1, password authentication over TCP. PostgreSQL refuses to run as root, so as
 * root it is run as the {@code postgres} user, which then owns the folder. One server per test JVM
 * ({@link #shared()}), stopped when the JVM exits; every test class takes its own database.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "postgres";
  private static PostgresServer shared;

  private final Path dir;
  private final Path bin;
  private final int port;
  private final String password;
  private String options = "";

  private PostgresServer(Path dir, Path bin, int port, String password) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.password = password;
  }

  /** The server of this test JVM, started on first use; fast and not crash-safe (fsync off). */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      try {
        shared = start(false);
      } catch (Exception e) {
        throw new IllegalStateException("could not start a test PostgreSQL (install Debian's postgresql: .ci/run does): " + e.getMessage(), e);
      }
      PostgresServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-postgres-stop"));
    }
    return shared;
  }

  /** @param durable true for PostgreSQL's own defaults (fsync on): what benchmarks measure */
  public static PostgresServer start(boolean durable) throws Exception {
    Path bin = findBinaries();
    Path dir = Files.createTempDirectory("scanner-pg-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    String password = UUID.randomUUID().toString();
    Files.writeString(dir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
    if (isRoot()) run(List.of("chown", "-R", USER, dir.toString()), dir);
    run(asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
        "--pwfile=" + dir.resolve("pwfile"), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"), dir);
    int port = freePort();
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=200"
        + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-o", options, "-w", "-t", "60", "start"), dir);
    PostgresServer server = new PostgresServer(dir, bin, port, password);
    server.options = options;
    return server;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  public Path bin() {
    return bin;
  }

  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new, empty database named after {@code prefix}; returns its JDBC URL. */
  public String newDatabase(String prefix) throws SQLException {
    String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8));
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /** What happened when the server misbehaves: its log, for a test's failure message. */
  public String log() {
    try {
      return Files.readString(dir.resolve("log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the server, keeping its data: the database "goes away". */
  public void stop() throws Exception {
    run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), dir);
  }

  /** Starts a stopped server again, on the same port with the same data. */
  public void startAgain() throws Exception {
    run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-o", options, "-w", "-t", "60", "start"), dir);
  }

  /** Stops the server at once (as a crash would) and deletes its folder. */
  @Override
  public void close() {
    try {
      run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), dir);
    } catch (Exception e) {
      // it may be gone already
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary anyway
    }
  }

  private static Path findBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) throw new IOException("no " + root);
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
          .max(Comparator.comparingInt(v -> {
            try {
              return Integer.parseInt(v.getFileName().toString());
            } catch (NumberFormatException e) {
              return -1;
            }
          }))
          .map(v -> v.resolve("bin"))
          .orElseThrow(() -> new IOException("no PostgreSQL binaries under " + root));
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asPostgres(String... command) {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) cmd.addAll(List.of("runuser", "-u", USER, "--"));
    cmd.addAll(List.of(command));
    return cmd;
  }

  private static void run(List<String> command, Path dir) throws Exception {
    Path out = Files.createTempFile("pg-cmd", ".txt");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(command.size() > 4 && isRoot() ? 3 : 0) + " did not finish");
      }
      if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
