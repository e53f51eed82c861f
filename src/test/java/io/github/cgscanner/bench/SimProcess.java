package io.github.cgscanner.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ModelSimulatorMain} in its own JVM, so its CPU and GC never mix with the scanner's or the benchmark's. */
final class SimProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Process process;
  private final int port;

  private SimProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static SimProcess start(List<String> flags) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.github.cgscanner.sim.ModelSimulatorMain", "--max-prompts", "0"));
    cmd.addAll(flags);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("SIMULATOR_PORT=")) {
        int port = Integer.parseInt(line.substring("SIMULATOR_PORT=".length()).trim());
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "sim-output");
        drain.setDaemon(true);
        drain.start();
        return new SimProcess(p, port);
      }
    }
    throw new IllegalStateException("simulator exited with " + p.waitFor());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  JsonObject stats() throws Exception {
    return get("/_sim/stats");
  }

  JsonObject lines() throws Exception {
    return get("/_sim/lines");
  }

  private JsonObject get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
