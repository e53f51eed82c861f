package io.github.cgscanner.bench;

import io.github.cgscanner.db.PostgresServer;
import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.github.cgscanner.sim.ModelSimulator;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the bench's worker JVMs: clustered over TCP-IP on 127.0.0.1 (a random cluster name,
 * every replica's port in the member list, as a headless Service would list them), all on one
 * PostgreSQL, review cache off, each with its own keys.
 */
final class ReplicaFleet implements AutoCloseable {
  /**
   * What a container of one CPU would give a JVM by ergonomics (the serial collector), and the C1 compiler
   * only: on a shared 2-core machine the C2 compiler threads of five JVMs would starve everything else.
   */
  static final String JVM_OPTIONS = System.getProperty("bench.jvmOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
  final List<Replica> all = new CopyOnWriteArrayList<>();
  private final Path work;
  private final ModelSimulator sim;
  private final String dbUrl;
  private final Path passwordFile;
  private final Path config;
  private final int keysPerReplica;
  private final Map<String, String> extraEnv;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final String clusterName = "bench-" + UUID.randomUUID();

  ReplicaFleet(Path work, ModelSimulator sim, String dbUrl, Path passwordFile, Path config, int keysPerReplica, int maxReplicas,
      Map<String, String> extraEnv) throws Exception {
    this.work = work;
    this.sim = sim;
    this.dbUrl = dbUrl;
    this.passwordFile = passwordFile;
    this.config = config;
    this.keysPerReplica = keysPerReplica;
    this.extraEnv = extraEnv;
    for (int i = 0; i < maxReplicas; i++) clusterPorts.add(ScannerProcess.freePort());
  }

  static String key(int label) {
    return "sk-bench-autoscale-" + label + "-0123456789abcdef";
  }

  /** Starts replica {@code index} and blocks until it is ready; {@code startedAt} is taken before the JVM starts. */
  Replica start(int index) throws Exception {
    List<Integer> labels = new ArrayList<>();
    for (int k = 0; k < keysPerReplica; k++) labels.add(index * keysPerReplica + k);
    Replica r = new Replica(index, labels, System.currentTimeMillis());
    all.add(r);
    r.process = ScannerProcess.serve(work, env(r), java.time.Duration.ofSeconds(120), "--config", config.toString());
    r.http = new Http(r.process.baseUrl(), null);
    r.nodeId = r.http.get("/api/v1/cluster").bodyAsJsonObject().getJsonArray("members").getJsonObject(0).getString("nodeId");
    r.readyAt = System.currentTimeMillis();
    return r;
  }

  private Map<String, String> env(Replica r) {
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl());
    for (int k = 0; k < r.keyLabels.size(); k++) env.put(k == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + k, key(r.keyLabels.get(k)));
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    env.putAll(ScannerProcess.env("CLUSTER_NAME", clusterName, "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_PORT", Integer.toString(clusterPorts.get(r.index)), "CLUSTER_MEMBERS", members,
        "CLUSTER_MIN_SIZE", r.index == 0 ? "1" : "2", "CLUSTER_JOIN_TIMEOUT", "60s",
        "CLUSTER_EVENTBUS_PORT", Integer.toString(freePort()),
        "SCANNER_DB_URL", dbUrl, "SCANNER_DB_USER", PostgresServer.USER, "SCANNER_DB_PASSWORD_FILE", passwordFile.toString(),
        "SCANNER_DB_POOL_SIZE", "4",
        // Every scan of a repo is reviewed again: the cache would answer the repeated repos.
        "SCANNER_REVIEW_CACHE_TTL", "0"));
    env.putAll(extraEnv);
    env.put("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
    return env;
  }

  private static int freePort() {
    try {
      return ScannerProcess.freePort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Replica> ready() {
    return all.stream().filter(Replica::ready).toList();
  }

  /** Requests the simulator received with this replica's keys so far. */
  long requests(Replica r) {
    JsonObject byKey = sim.stats().getJsonObject("requests");
    return r.keyLabels.stream().mapToLong(l -> byKey.getLong("key-" + l, 0L)).sum();
  }

  /** SIGTERM (as the kubelet sends it), then the grace period; returns the seconds the JVM took to exit, or -1. */
  static double terminate(Replica r, int graceSeconds) throws Exception {
    long from = System.nanoTime();
    r.process.process().destroy();
    boolean exited = r.process.process().waitFor(graceSeconds, TimeUnit.SECONDS);
    if (!exited) r.process.process().destroyForcibly().waitFor();
    r.http.close();
    return exited ? (System.nanoTime() - from) / 1e9 : -1;
  }

  static void kill(Replica r) throws Exception {
    r.process.process().destroyForcibly().waitFor();
    r.http.close();
  }

  String logs() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Replica r : all) {
      if (r.process == null) continue;
      String log = r.process.log();
      sb.append("=== ").append(r.name()).append(" (").append(r.nodeId).append(")\n")
          .append(log.length() > 6000 ? log.substring(log.length() - 6000) : log).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() throws Exception {
    for (Replica r : all) {
      if (r.process != null && r.process.process().isAlive()) r.process.process().destroyForcibly().waitFor();
      if (r.http != null) r.http.close();
    }
  }
}
