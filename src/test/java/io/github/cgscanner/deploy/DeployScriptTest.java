package io.github.cgscanner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs deploy-multiple-workers.sh as a user would and reads back what it prints and generates. */
class DeployScriptTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("deploy-multiple-workers.sh");
  /** Part of every fake key and token: it must never show up in what the script prints. */
  private static final String SECRET_MARK = "9f8e7d6c5b4a";
  private static final String TOKEN = "tok-" + SECRET_MARK + "-shared";

  @TempDir Path tmp;
  private Path conf;
  private Path out;

  @BeforeEach
  void fakeWorkerFiles() throws IOException {
    conf = Files.createDirectories(tmp.resolve("conf"));
    out = tmp.resolve("out");
    for (int n = 1; n <= 5; n++) {
      String example = Files.readString(ROOT.resolve("conf/workers/worker-" + n + ".env.example"));
      String filled = example
          .replaceAll("sk-replace-me-worker-(\\d)-key-(\\d)", "sk-test-w$1-k$2-" + SECRET_MARK)
          .replace("#SCANNER_API_TOKENS=replace-me-with-a-long-random-token", "SCANNER_API_TOKENS=" + TOKEN);
      Files.writeString(conf.resolve("worker-" + n + ".env"), filled);
    }
  }

  @AfterEach
  void stopLocalWorkers() throws Exception {
    if (Files.isDirectory(out.resolve("local"))) {
      run(Map.of(), "--down", "--out", out.toString());
    }
  }

  @Test
  void helpExitsZeroAndNamesEveryTarget() throws Exception {
    Result r = run(Map.of(), "--help");
    assertEquals(0, r.exit, r.err);
    for (String word : List.of("local", "compose", "k8s", "cloudrun", "--dry-run", "--down", "--status", "--workers")) {
      assertTrue(r.out.contains(word), "help mentions " + word);
    }
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    assertEquals(2, run(Map.of(), "--target", "mars", "--dry-run").exit);
    assertEquals(2, run(Map.of(), "--workers", "0", "--dry-run").exit);
    assertEquals(2, run(Map.of(), "--workers", "many", "--dry-run").exit);
    assertEquals(2, run(Map.of(), "--no-such-option").exit);
    assertEquals(2, run(Map.of(), "--target").exit);
    assertEquals(2, run(Map.of(), "--down", "--status").exit);
    assertEquals(2, run(Map.of(), "--target", "cloudrun").exit, "cloudrun without --project/--region");
  }

  @Test
  void localDryRunShowsFiveWorkersWithMaskedKeysAndStartsNothing() throws Exception {
    Result r = dryRun("local");
    assertEquals(0, r.exit, r.err);
    List<String> starts = r.out.lines().filter(l -> l.contains(" serve ")).toList();
    assertEquals(5, starts.size(), r.out);
    for (int n = 1; n <= 5; n++) {
      String line = starts.get(n - 1);
      assertTrue(line.contains("PORT=808" + n + " "), line);
      assertTrue(line.contains("CLUSTER_PORT=570" + n + " "), line);
      assertTrue(line.contains("CLUSTER_MEMBERS=127.0.0.1:5701-5705"), line);
      assertTrue(line.contains("HTTP_HOST=127.0.0.1") && line.contains("CLUSTER_HOST=127.0.0.1"), line);
      assertTrue(line.contains("OPENAI_API_KEY='<key-0>'") && line.contains("OPENAI_API_KEY_3='<key-3>'"), line);
      assertTrue(line.contains("worker-" + n + ".log") && line.contains("worker-" + n + ".pid"), line);
    }
    assertTrue(r.out.contains("/health/ready") && r.out.contains("/api/v1/cluster lists 5 members"), r.out);
    assertNoSecret(r);
    for (int n = 1; n <= 5; n++) {
      assertFalse(Files.exists(out.resolve("local/worker-" + n + ".pid")), "a dry run starts nothing");
    }
  }

  @Test
  void composeDryRunWritesFiveServicesWhoseEnvFilesResolve() throws Exception {
    Result r = dryRun("compose");
    assertEquals(0, r.exit, r.err);
    Path compose = out.resolve("compose/docker-compose.yml");
    String yaml = Files.readString(compose);

    assertEquals(List.of("worker-1", "worker-2", "worker-3", "worker-4", "worker-5"), all(yaml, "(?m)^  (worker-\\d+):$"));
    assertEquals(List.of("8081", "8082", "8083", "8084", "8085"), all(yaml, "(?m)^      - \"127\\.0\\.0\\.1:(\\d+):8080\"$"));
    List<String> envFiles = all(yaml, "(?m)^      - \"([^\"]+\\.env)\"$");
    assertEquals(5, envFiles.size(), yaml);
    for (int n = 1; n <= 5; n++) {
      Path resolved = compose.getParent().resolve(envFiles.get(n - 1)).normalize();
      assertEquals(conf.resolve("worker-" + n + ".env"), resolved);
      assertTrue(Files.isRegularFile(resolved), resolved + " exists");
    }
    String members = "worker-1:5701,worker-2:5701,worker-3:5701,worker-4:5701,worker-5:5701";
    assertEquals(5, all(yaml, "CLUSTER_MEMBERS: \"(" + Pattern.quote(members) + ")\"").size(), yaml);
    assertEquals(5, all(yaml, "CLUSTER_PUBLIC_HOST: \"(worker-\\d)\"").size(), yaml);
    assertTrue(yaml.contains("networks:\n  scanner:"), "a private network");
    assertFalse(yaml.contains("5701:5701"), "Hazelcast is not published");
    assertTrue(r.out.contains("+ docker compose -f " + compose + " up -d"), r.out);
    assertNoSecret(r);
    assertFalse(yaml.contains(SECRET_MARK), "keys stay in the env files");
  }

  @Test
  void composeEnvFilePathIsRelativeToTheDefaultLayout() throws Exception {
    Path defaultOut = tmp.resolve("repo/target/deploy");
    Result r = run(Map.of(), "--target", "compose", "--dry-run", "--out", defaultOut.toString(),
        "--conf-dir", tmp.resolve("repo/conf/workers").toString());
    assertEquals(0, r.exit, r.err);
    String yaml = Files.readString(defaultOut.resolve("compose/docker-compose.yml"));
    assertTrue(yaml.contains("- \"../../../conf/workers/worker-1.env\""), yaml);
  }

  @Test
  void k8sDryRunWritesStatefulSetHeadlessServicePolicyAndFiveSecrets() throws Exception {
    Result r = run(Map.of(), "--target", "k8s", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--namespace", "scans");
    assertEquals(0, r.exit, r.err);
    Path dir = out.resolve("k8s");
    String services = Files.readString(dir.resolve("10-services.yaml"));
    String statefulSet = Files.readString(dir.resolve("20-statefulset.yaml"));
    String policies = Files.readString(dir.resolve("30-network-policy.yaml"));
    String secrets = Files.readString(dir.resolve("secrets/worker-secrets.example.yaml"));

    assertTrue(services.contains("name: scanner-hz") && services.contains("clusterIP: None"), services);
    assertTrue(services.contains("port: 5701") && services.contains("port: 5801") && services.contains("port: 8080"), services);
    assertTrue(statefulSet.contains("kind: StatefulSet") && statefulSet.contains("replicas: 5"), statefulSet);
    assertTrue(statefulSet.contains("serviceName: scanner-hz"), statefulSet);
    // Hazelcast's Kubernetes discovery through the headless Service; both cluster ports pinned.
    assertTrue(statefulSet.contains("- name: CLUSTER_KUBERNETES_SERVICE_DNS\n              value: \"scanner-hz.scans.svc.cluster.local\""), statefulSet);
    assertTrue(statefulSet.contains("- name: CLUSTER_EVENTBUS_PORT\n              value: \"5801\""), statefulSet);
    assertFalse(statefulSet.contains("CLUSTER_MEMBERS"), statefulSet);
    assertTrue(statefulSet.contains("containerPort: 5701") && statefulSet.contains("containerPort: 5801"), statefulSet);
    assertTrue(statefulSet.contains("path: /health/ready") && statefulSet.contains("path: /health/live"), statefulSet);
    assertEquals(5, all(statefulSet, "secretName: (scanner-worker-\\d-keys)").size(), statefulSet);
    assertTrue(policies.contains("kind: NetworkPolicy") && policies.contains("port: 8080"), policies);
    assertTrue(policies.contains("app: chatgpt-security-scanner\n      ports:\n        - protocol: TCP\n          port: 5701\n        - protocol: TCP\n          port: 5801"),
        "peers may reach exactly the two cluster ports: " + policies);
    assertEquals(List.of("scanner-worker-1-keys", "scanner-worker-2-keys", "scanner-worker-3-keys",
        "scanner-worker-4-keys", "scanner-worker-5-keys"), all(secrets, "(?m)^  name: (scanner-worker-\\d-keys)$"));
    assertEquals(5, all(secrets, "(?m)^kind: (Secret)$").size());
    try (Stream<Path> applied = Files.list(dir)) {
      for (Path file : applied.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(file).contains("kind: Secret"), "placeholders are never applied: " + file);
      }
    }
    assertEquals(5, r.out.lines().filter(l -> l.contains("create secret generic scanner-worker-")).count(), r.out);
    assertTrue(r.out.contains("+ kubectl apply -f " + dir), r.out);
    assertNoSecret(r);
  }

  @Test
  void cloudRunDryRunDeploysFiveUnclusteredServicesAndSaysShardingIsOff() throws Exception {
    Result r = run(Map.of(), "--target", "cloudrun", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--project", "demo-project", "--region", "europe-west1");
    assertEquals(0, r.exit, r.err);
    List<String> deploys = r.out.lines().filter(l -> l.startsWith("+ gcloud run deploy ")).toList();
    assertEquals(5, deploys.size(), r.out);
    for (int n = 1; n <= 5; n++) {
      String line = deploys.get(n - 1);
      assertTrue(line.startsWith("+ gcloud run deploy scanner-worker-" + n + " "), line);
      assertTrue(line.contains("--args serve,--no-cluster"), line);
      assertTrue(line.contains("OPENAI_API_KEY=scanner-worker-" + n + "-key-0:latest"), line);
      assertTrue(line.contains("OPENAI_API_KEY_3=scanner-worker-" + n + "-key-3:latest"), line);
      assertTrue(line.contains("CLUSTER_MIN_SIZE=1"), line);
    }
    assertTrue(r.out.contains("Cloud Run services cannot accept instance-to-instance connections, so these workers "
        + "do not form a cluster and sharding is off."), r.out);
    assertNoSecret(r);
  }

  @Test
  void localTargetStartsWaitsReportsAndStopsEveryWorker() throws Exception {
    assumeTrue(onPath("curl") && onPath("ps"), "needs curl and ps");
    Path fake = tmp.resolve("FakeServe.java");
    Files.writeString(fake, FAKE_SERVE);
    int httpBase = freeBase(2, Set.of());
    int clusterBase = freeBase(2, Set.of(httpBase + 1, httpBase + 2));
    Map<String, String> env = Map.of(
        "SCANNER_CMD", Path.of(System.getProperty("java.home"), "bin", "java") + " " + fake,
        "OPENAI_API_KEY_9", "sk-inherited-" + SECRET_MARK,
        "DEPLOY_READY_TIMEOUT", "60",
        "DEPLOY_CLUSTER_TIMEOUT", "30",
        "DEPLOY_STOP_TIMEOUT", "5");
    String[] common = {"--workers", "2", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--http-port-base", Integer.toString(httpBase), "--cluster-port-base", Integer.toString(clusterBase)};

    Result up = run(env, common);
    assertEquals(0, up.exit, up.out + up.err);
    assertTrue(up.out.contains("cluster formed: 2 members"), up.out);
    assertTrue(up.out.contains("http://127.0.0.1:" + (httpBase + 2)), up.out);
    assertNoSecret(up);
    String log2 = Files.readString(out.resolve("local/worker-2.log"));
    assertTrue(log2.contains("keyVars=[OPENAI_API_KEY, OPENAI_API_KEY_1, OPENAI_API_KEY_2, OPENAI_API_KEY_3]"), log2);
    assertTrue(log2.contains("owners=[2]"), "worker 2 holds only its own keys: " + log2);
    assertTrue(log2.contains("members=127.0.0.1:" + (clusterBase + 1) + "-" + (clusterBase + 2)), log2);
    List<Long> pids = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      pids.add(Long.parseLong(Files.readString(out.resolve("local/worker-" + n + ".pid")).trim()));
    }
    assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));

    assertEquals(1, run(env, common).exit, "a second start is refused while the workers run");
    Result status = run(Map.of(), "--status", "--out", out.toString());
    assertEquals(0, status.exit, status.out);
    assertEquals(2, status.out.lines().filter(l -> l.matches("worker-\\d .* running +yes .*")).count(), status.out);

    Result down = run(Map.of(), "--down", "--out", out.toString());
    assertEquals(0, down.exit, down.err);
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
    }
    try (Stream<Path> left = Files.list(out.resolve("local"))) {
      assertTrue(left.noneMatch(p -> p.toString().endsWith(".pid")), "pid files removed");
    }
    assertEquals(1, run(Map.of(), "--status", "--out", out.toString()).exit);
  }

  @Test
  void checkKeysReportsEachKeyByAliasWithoutPrintingIt() throws Exception {
    assumeTrue(onPath("curl"), "needs curl");
    HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    provider.createContext("/v1/models", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      int code = ("Bearer sk-test-w1-k0-" + SECRET_MARK).equals(auth) ? 200 : ("Bearer sk-test-w1-k2-" + SECRET_MARK).equals(auth) ? 429 : 401;
      ex.sendResponseHeaders(code, -1);
      ex.close();
    });
    provider.start();
    try {
      Files.writeString(conf.resolve("worker-1.env"),
          "OPENAI_BASE_URL=http://127.0.0.1:" + provider.getAddress().getPort() + "/v1\n", StandardOpenOption.APPEND);
      Result r = run(Map.of(), "--check-keys", "--workers", "1", "--conf-dir", conf.toString());
      assertEquals(1, r.exit, r.out + r.err);
      assertTrue(r.out.contains("worker-1 key-0 (OPENAI_API_KEY): HTTP 200"), r.out);
      assertTrue(r.out.contains("worker-1 key-1 (OPENAI_API_KEY_1): HTTP 401"), r.out);
      assertTrue(r.out.contains("worker-1 key-2 (OPENAI_API_KEY_2): HTTP 429"), r.out);
      assertNoSecret(r);
    } finally {
      provider.stop(0);
    }
  }

  /** conf/config.json documents the defaults: it must say exactly what the code does with no file. */
  @Test
  void configJsonMirrorsTheCompiledInDefaults() throws Exception {
    Class<?> loader;
    try {
      // by name: this test class must compile even while the main tree is built separately
      loader = Class.forName("io.github.cgscanner.config.ConfigLoader");
    } catch (ClassNotFoundException e) {
      assumeTrue(false, "main classes not compiled");
      return;
    }
    JsonObject defaults = (JsonObject) loader.getMethod("defaults").invoke(null);
    JsonObject file = new JsonObject(Files.readString(ROOT.resolve("conf/config.json")));
    assertEquals(defaults.encodePrettily(), file.encodePrettily());
  }

  private Result dryRun(String target) throws Exception {
    return run(Map.of(), "--target", target, "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString());
  }

  private void assertNoSecret(Result r) {
    assertFalse(r.out.contains(SECRET_MARK), "a key or token in stdout");
    assertFalse(r.err.contains(SECRET_MARK), "a key or token in stderr");
  }

  private static List<String> all(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) found.add(m.group(1));
    return found;
  }

  private static boolean onPath(String tool) throws Exception {
    return new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() == 0;
  }

  /** A port P such that P+1 .. P+count are free on 127.0.0.1 and not in {@code taken}. */
  private static int freeBase(int count, Set<Integer> taken) throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + random.nextInt(30000);
      Set<Integer> ports = new TreeSet<>();
      IntStream.rangeClosed(base + 1, base + count).forEach(ports::add);
      if (ports.stream().noneMatch(taken::contains) && ports.stream().allMatch(DeployScriptTest::free)) return base;
    }
    throw new IOException("no free port range");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(tmp, "out", ".txt");
    Path stderr = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("SCANNER_") || k.startsWith("CLUSTER_")
        || k.startsWith("DEPLOY_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the script did not finish in 120 s: " + command);
    }
    return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
  }

  private record Result(int exit, String out, String err) {}

  /** Stands in for {@code java -jar … serve}: readiness, a cluster view of the peers whose port is open, the cluster port held. */
  private static final String FAKE_SERVE = """
      import com.sun.net.httpserver.HttpExchange;
      import com.sun.net.httpserver.HttpServer;
      import java.net.*;
      import java.nio.charset.StandardCharsets;
      import java.util.*;

      public class FakeServe {
        static ServerSocket cluster; // held for the life of the process, like a Hazelcast member's port

        public static void main(String[] args) throws Exception {
          if (!List.of(args).equals(List.of("serve"))) throw new IllegalArgumentException(List.of(args).toString());
          InetAddress loopback = InetAddress.getByName(System.getenv("CLUSTER_HOST"));
          cluster = new ServerSocket(Integer.parseInt(System.getenv("CLUSTER_PORT")), 50, loopback);
          TreeSet<String> keyVars = new TreeSet<>();
          TreeSet<String> owners = new TreeSet<>();
          System.getenv().forEach((k, v) -> {
            if (k.startsWith("OPENAI_API_KEY")) {
              keyVars.add(k);
              owners.add(v.replaceAll("^sk-test-w(\\\\d+)-.*$", "$1"));
            }
          });
          String members = System.getenv("CLUSTER_MEMBERS");
          System.out.println("keyVars=" + keyVars + " owners=" + owners + " members=" + members);
          String[] range = members.substring(members.indexOf(':') + 1).split("-");
          int first = Integer.parseInt(range[0]);
          int last = Integer.parseInt(range[range.length - 1]);
          String token = System.getenv("SCANNER_API_TOKENS");
          HttpServer http = HttpServer.create(new InetSocketAddress(System.getenv("HTTP_HOST"), Integer.parseInt(System.getenv("PORT"))), 0);
          http.createContext("/health/ready", ex -> reply(ex, 200, "{\\"status\\":\\"ready\\",\\"clusterMembers\\":1}"));
          http.createContext("/api/v1/cluster", ex -> {
            if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
              reply(ex, 401, "{}");
              return;
            }
            StringJoiner seen = new StringJoiner(",");
            for (int p = first; p <= last; p++) {
              try (Socket s = new Socket(loopback, p)) {
                seen.add("{\\"nodeId\\":\\"n" + p + "\\"}");
              } catch (Exception closed) {
              }
            }
            reply(ex, 200, "{\\"members\\":[" + seen + "]}");
          });
          http.start();
        }

        static void reply(HttpExchange ex, int code, String body) throws java.io.IOException {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(code, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        }
      }
      """;
}
