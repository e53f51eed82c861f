package io.github.cgscanner.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real jar started as a separate JVM, as a user would start it; its output goes to a log file. */
public final class ScannerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private ScannerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("scanner.jar", "target/chatgpt-security-scanner.jar"));
    if (!Files.isRegularFile(jar)) throw new IllegalStateException("build the jar first: " + jar);
    return jar;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs {@code java -jar … args} to completion. */
  public static Result run(Path workDir, Map<String, String> env, Duration timeout, String... args) throws Exception {
    Path out = Files.createTempFile("scanner-out", ".txt");
    Path err = Files.createTempFile("scanner-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    cleanEnv(pb.environment()).putAll(env);
    ownDataDir(pb.environment(), "XDG_DATA_HOME");
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("scan did not finish in " + timeout + "; stderr: " + Files.readString(err));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  public record Result(int exitCode, String stdout, String stderr) {}

  /** Starts {@code serve --no-cluster} (unless args say otherwise) and waits for readiness. */
  public static ScannerProcess serve(Path workDir, Map<String, String> env, String... extraArgs) throws Exception {
    return serve(workDir, env, Duration.ofSeconds(60), extraArgs);
  }

  /** As {@link #serve(Path, Map, String...)}, waiting up to {@code readyTimeout}; a process not ready by then is killed. */
  public static ScannerProcess serve(Path workDir, Map<String, String> env, Duration readyTimeout, String... extraArgs)
      throws Exception {
    // The free port is found before the process binds it: another process (an embedded database's server,
    // another worker) can take it in between. That, and only that, is tried again with another port.
    for (int attempt = 1; ; attempt++) {
      try {
        return serveOnce(workDir, env, readyTimeout, extraArgs);
      } catch (IllegalStateException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
      }
    }
  }

  private static ScannerProcess serveOnce(Path workDir, Map<String, String> env, Duration readyTimeout, String... extraArgs)
      throws Exception {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port)));
    args.addAll(List.of(extraArgs));
    Path log = Files.createTempFile("scanner-serve", ".log");
    ProcessBuilder pb = new ProcessBuilder(command(args.toArray(String[]::new))).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    cleanEnv(pb.environment()).putAll(env);
    ownDataDir(pb.environment(), "SCANNER_DATA_DIR");
    ScannerProcess sp = new ScannerProcess(pb.start(), log, port);
    try {
      sp.awaitReady(readyTimeout);
    } catch (Exception | Error e) {
      // A worker left running would join the next test's cluster or hold its ports.
      sp.process.destroyForcibly().waitFor();
      throw e;
    }
    return sp;
  }

  private static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:ThreadPriorityPolicy=1", "-jar", jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The child must not inherit a developer's real keys or endpoint. */
  private static Map<String, String> cleanEnv(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("SCANNER_") || k.startsWith("CLUSTER_"));
    env.put("HAZELCAST_WAIT_SECONDS_BEFORE_JOIN", "0");
    return env;
  }

  /**
   * Each process gets an empty embedded database of its own unless the test names one (or another
   * store), so that tests do not see each other's scans, nor a developer's.
   */
  private static void ownDataDir(Map<String, String> env, String variable) throws IOException {
    if (env.containsKey(variable) || env.containsKey("SCANNER_DATA_DIR") || env.containsKey("SCANNER_STORE")
        || env.containsKey("SCANNER_DB_URL")) {
      return;
    }
    env.put(variable, Files.createTempDirectory("scanner-data").toString());
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("scanner exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl() + "/health/ready").toURL().openConnection();
        c.setConnectTimeout(500);
        // A connection accepted in the instant the port opens can go unanswered (Vert.x 5.0.7 creates the
        // server's metrics only after the bind, and the first request then fails in the metrics code).
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("scanner not ready in " + timeout + ":\n" + log());
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Process process() {
    return process;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  public static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
