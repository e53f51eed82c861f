package io.github.cgscanner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
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
    // as root, the script runs PostgreSQL as the postgres user, who must reach <out>/local/postgres
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
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
  void localDryRunShowsFiveWorkersWithMaskedKeysOneStoreAndStartsNothing() throws Exception {
    Result r = dryRun("local");
    assertEquals(0, r.exit, r.err);
    List<String> starts = r.out.lines().filter(l -> l.contains(" serve ")).toList();
    assertEquals(5, starts.size(), r.out);
    String store = postgresInstalled() ? "SCANNER_DB_URL=jdbc:postgresql://127.0.0.1:55432/scanner SCANNER_DB_USER=scanner "
        + "SCANNER_DB_PASSWORD_FILE=" + out.resolve("local/postgres/password") : "SCANNER_STORE=memory";
    for (int n = 1; n <= 5; n++) {
      String line = starts.get(n - 1);
      assertTrue(line.contains("PORT=808" + n + " "), line);
      assertTrue(line.contains("CLUSTER_PORT=570" + n + " "), line);
      assertTrue(line.contains("CLUSTER_MEMBERS=127.0.0.1:5701-5705"), line);
      assertTrue(line.contains("HTTP_HOST=127.0.0.1") && line.contains("CLUSTER_HOST=127.0.0.1"), line);
      assertTrue(line.contains("OPENAI_API_KEY='<key-0>'") && line.contains("OPENAI_API_KEY_3='<key-3>'"), line);
      assertTrue(line.contains("worker-" + n + ".log") && line.contains("worker-" + n + ".pid"), line);
      assertTrue(line.contains(store + " "), "every worker on the same store: " + line);
    }
    assertTrue(r.out.contains("/health/ready") && r.out.contains("/api/v1/cluster lists 5 members"), r.out);
    assertNoSecret(r);
    for (int n = 1; n <= 5; n++) {
      assertFalse(Files.exists(out.resolve("local/worker-" + n + ".pid")), "a dry run starts nothing");
    }
    assertFalse(Files.exists(out.resolve("local/postgres")), "nor a database");
  }

  @Test
  void localStoreMemoryIsSaidInOneLineAndAnUnknownStoreIsBadUsage() throws Exception {
    Result r = run(Map.of(), "--dry-run", "--store", "memory", "--out", out.toString(), "--conf-dir", conf.toString());
    assertEquals(0, r.exit, r.err);
    assertEquals(1, r.out.lines().filter(l -> l.startsWith("store: memory")).count(), r.out);
    assertEquals(5, r.out.lines().filter(l -> l.contains(" serve ") && l.contains("SCANNER_STORE=memory ")).count(), r.out);
    assertFalse(r.out.contains("SCANNER_DB_URL"), r.out);

    Result external = run(Map.of("SCANNER_DB_URL", "jdbc:postgresql://db.internal:5432/scans"), "--dry-run",
        "--out", out.toString(), "--conf-dir", conf.toString());
    assertEquals(0, external.exit, external.err);
    assertTrue(external.out.contains("store: PostgreSQL at SCANNER_DB_URL from the environment"), external.out);
    assertFalse(external.out.contains("initdb") || external.out.contains("SCANNER_STORE=memory"), external.out);

    assertEquals(2, run(Map.of(), "--dry-run", "--store", "disk").exit);
  }

  @Test
  void composeDryRunRunsTheCheckedInFileWithThisConfDirAndCreatesNothing() throws Exception {
    Result r = dryRun("compose");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("+ env SCANNER_IMAGE=chatgpt-security-scanner:latest SCANNER_CONF_DIR=" + conf
        + " docker compose -f " + ROOT.resolve("docker/compose/docker-compose.yml")
        + " up -d postgres worker-1 worker-2 worker-3 worker-4 worker-5"), r.out);
    assertTrue(r.out.contains("+ create " + conf.resolve("db/password")), r.out);
    assertFalse(Files.exists(conf.resolve("db")), "a dry run writes no password");
    assertNoSecret(r);

    Result two = run(Map.of(), "--target", "compose", "--dry-run", "--workers", "2", "--image", "reg.example/scanner:7",
        "--conf-dir", conf.toString());
    assertEquals(0, two.exit, two.err);
    assertTrue(two.out.contains("SCANNER_IMAGE=reg.example/scanner:7 ") && two.out.contains(" up -d postgres worker-1 worker-2\n"), two.out);
    assertEquals(2, run(Map.of(), "--target", "compose", "--dry-run", "--workers", "6").exit, "the file has five workers");
  }

  @Test
  void k8sDryRunRendersTheChartWithHelmAndListsWhatItWouldApply() throws Exception {
    Map<String, String> env = Map.of("PATH", helmOnPath() + ":" + System.getenv("PATH"));
    Result r = run(env, "--target", "k8s", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--namespace", "scans", "--image", "reg.example/scanner:7");
    assertEquals(0, r.exit, r.out + r.err);
    Path dir = out.resolve("k8s");
    assertTrue(r.out.contains("+ helm template scanner " + ROOT.resolve("docker/helm/chatgpt-security-scanner")
        + " --namespace scans -f " + dir.resolve("values.yaml") + " > " + dir.resolve("manifests.yaml")), r.out);
    List<Map<String, Object>> objects = Chart.objects(Files.readString(dir.resolve("manifests.yaml")));
    for (int n = 1; n <= 5; n++) {
      Map<String, Object> deployment = Chart.find(objects, "Deployment", "scanner-worker-" + n);
      assertEquals("reg.example/scanner:7", Yaml2.at(Yaml2.listAt(deployment, "spec.template.spec.containers").get(0), "image"));
      Chart.find(objects, "HorizontalPodAutoscaler", "scanner-worker-" + n);
      assertTrue(r.out.contains("\n  Deployment/scanner-worker-" + n + "\n"), r.out);
      assertTrue(r.out.contains("+ kubectl -n scans create secret generic scanner-worker-" + n + "-keys --from-env-file="
          + conf.resolve("worker-" + n + ".env") + " --dry-run=client -o yaml | kubectl apply -f -"), r.out);
      assertTrue(r.out.contains("+ kubectl -n scans rollout status deployment/scanner-worker-" + n + " "), r.out);
    }
    for (String object : List.of("StatefulSet/scanner-postgres", "Service/scanner-hz", "Service/scanner-http",
        "NetworkPolicy/scanner-workers", "PodDisruptionBudget/scanner-workers")) {
      assertTrue(r.out.contains("\n  " + object + "\n"), object + " in " + r.out);
    }
    assertTrue(r.out.contains("create secret generic scanner-db --from-literal=url=jdbc:postgresql://scanner-postgres:5432/scanner"
        + " --from-literal=user=scanner --from-file=password=<a new random password>"), r.out);
    assertTrue(r.out.contains("+ kubectl -n scans apply -f " + dir.resolve("manifests.yaml")), r.out);
    assertFalse(Files.readString(dir.resolve("manifests.yaml")).contains("kind: Secret"), "keys never go through the chart");
    assertNoSecret(r);

    Path password = Files.writeString(tmp.resolve("db-password"), "pw-" + SECRET_MARK);
    Result three = run(Map.of("PATH", env.get("PATH"), "SCANNER_DB_URL", "jdbc:postgresql://db.internal:5432/scans",
        "SCANNER_DB_USER", "scans", "SCANNER_DB_PASSWORD_FILE", password.toString()), "--target", "k8s", "--dry-run",
        "--workers", "3", "--out", out.toString(), "--conf-dir", conf.toString());
    assertEquals(0, three.exit, three.out + three.err);
    List<Map<String, Object>> external = Chart.objects(Files.readString(dir.resolve("manifests.yaml")));
    assertEquals(3, Chart.all(external, "Deployment").size());
    assertTrue(Chart.all(external, "StatefulSet").isEmpty(), "an external database: no PostgreSQL in the cluster");
    assertTrue(three.out.contains("--from-literal=url=jdbc:postgresql://db.internal:5432/scans --from-literal=user=scans"
        + " --from-file=password=<" + password + ">"), three.out);
    assertNoSecret(three);
  }

  @Test
  void k8sDryRunWithoutHelmSaysSoAndStillShowsTheCommands() throws Exception {
    assumeFalse(onPath("helm"), "helm is installed here");
    Result r = run(Map.of(), "--target", "k8s", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.err.contains("helm is not on the PATH"), r.err);
    assertTrue(r.out.contains("+ kubectl -n default apply -f " + out.resolve("k8s/manifests.yaml")), r.out);
    assertEquals(1, run(Map.of(), "--target", "k8s", "--out", out.toString(), "--conf-dir", conf.toString()).exit,
        "a real run needs helm");
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
  void cloudRunScalesAServicePastOneInstanceOnlyOnASharedDatabase() throws Exception {
    String[] common = {"--target", "cloudrun", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--project", "demo-project", "--region", "europe-west1"};
    Result alone = run(Map.of(), concat(common, "--max-instances", "5"));
    assertEquals(2, alone.exit, alone.out);
    assertTrue(alone.err.contains("--max-instances above 1 needs --db-url-secret"), alone.err);

    Result shared = run(Map.of(), concat(common, "--min-instances", "2", "--max-instances", "20", "--db-url-secret", "scanner-db-url",
        "--db-user", "scanner_app"));
    assertEquals(0, shared.exit, shared.err);
    List<String> deploys = shared.out.lines().filter(l -> l.startsWith("+ gcloud run deploy ")).toList();
    assertEquals(5, deploys.size(), shared.out);
    for (String line : deploys) {
      assertTrue(line.contains("--min-instances 2 --max-instances 20"), line);
      assertTrue(line.contains("SCANNER_DB_URL=scanner-db-url:latest"), line);
      assertTrue(line.contains("SCANNER_DB_PASSWORD=scanner-db-password:latest"), "default password secret: " + line);
      assertTrue(line.contains("--set-env-vars HTTP_HOST=0.0.0.0,CLUSTER_MIN_SIZE=1,SCANNER_DB_USER=scanner_app "), line);
      assertTrue(line.contains("--args serve,--no-cluster"), line);
    }
    assertTrue(shared.out.contains("any instance answers for any scan"), shared.out);
    assertNoSecret(shared);

    Result own = run(Map.of(), concat(common, "--db-url-secret", "u", "--db-password-secret", "scanner-pg-pw"));
    assertEquals(0, own.exit, own.err);
    assertTrue(own.out.contains("SCANNER_DB_PASSWORD=scanner-pg-pw:latest"), own.out);
    assertFalse(run(Map.of(), "--target", "cloudrun", "--dry-run", "--out", out.toString(), "--conf-dir", conf.toString())
        .out.contains("SCANNER_DB_URL"), "no database unless one is named");
    assertEquals(2, run(Map.of(), concat(common, "--db-url-secret", "a,b=c")).exit, "a secret name with list syntax");
    assertEquals(2, run(Map.of(), concat(common, "--db-url-secret", "u", "--db-user", "x,SCANNER_STORE=memory")).exit,
        "a user name that would add an environment variable");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void localTargetStartsWaitsReportsAndStopsEveryWorker() throws Exception {
    assumeTrue(onPath("curl") && onPath("ps"), "needs curl and ps");
    Path fake = tmp.resolve("FakeServe.java");
    Files.writeString(fake, FAKE_SERVE);
    int httpBase = freeBase(2, Set.of());
    int clusterBase = freeBase(2, Set.of(httpBase + 1, httpBase + 2));
    int dbPort = freeBase(1, Set.of(httpBase + 1, httpBase + 2, clusterBase + 1, clusterBase + 2)) + 1;
    Map<String, String> env = Map.of(
        "SCANNER_CMD", Path.of(System.getProperty("java.home"), "bin", "java") + " " + fake,
        "OPENAI_API_KEY_9", "sk-inherited-" + SECRET_MARK,
        "DEPLOY_READY_TIMEOUT", "60",
        "DEPLOY_CLUSTER_TIMEOUT", "30",
        "DEPLOY_STOP_TIMEOUT", "5");
    String[] common = {"--workers", "2", "--out", out.toString(), "--conf-dir", conf.toString(),
        "--http-port-base", Integer.toString(httpBase), "--cluster-port-base", Integer.toString(clusterBase),
        "--db-port", Integer.toString(dbPort)};

    Result up = run(env, common);
    assertEquals(0, up.exit, up.out + up.err);
    assertTrue(up.out.contains("cluster formed: 2 members"), up.out);
    assertTrue(up.out.contains("http://127.0.0.1:" + (httpBase + 2)), up.out);
    assertNoSecret(up);
    String log2 = Files.readString(out.resolve("local/worker-2.log"));
    assertTrue(log2.contains("keyVars=[OPENAI_API_KEY, OPENAI_API_KEY_1, OPENAI_API_KEY_2, OPENAI_API_KEY_3]"), log2);
    assertTrue(log2.contains("owners=[2]"), "worker 2 holds only its own keys: " + log2);
    assertTrue(log2.contains("members=127.0.0.1:" + (clusterBase + 1) + "-" + (clusterBase + 2)), log2);
    if (postgresInstalled()) {
      // a real PostgreSQL, reachable with the URL, user and password file every worker got
      assertTrue(up.out.contains("store: a local PostgreSQL on 127.0.0.1:" + dbPort), up.out);
      assertTrue(log2.contains("store=null db=jdbc:postgresql://127.0.0.1:" + dbPort + "/scanner user=scanner passwordFile=readable dbReachable=true"), log2);
      assertFalse(free(dbPort), "PostgreSQL listens");
    } else {
      assertTrue(up.out.contains("store: memory"), up.out);
      assertTrue(log2.contains("store=memory db=null"), log2);
    }
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
    assertTrue(free(dbPort), "--down stops the local PostgreSQL too");
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
    // Key 1 is an Azure OpenAI deployment's: its resource's models list, its api-key header, its api-version.
    provider.createContext("/openai/models", ex -> {
      boolean ok = ("sk-test-w1-k1-" + SECRET_MARK).equals(ex.getRequestHeaders().getFirst("api-key"))
          && "api-version=2024-10-21".equals(ex.getRequestURI().getRawQuery());
      ex.sendResponseHeaders(ok ? 200 : 401, -1);
      ex.close();
    });
    provider.start();
    try {
      String host = "http://127.0.0.1:" + provider.getAddress().getPort();
      Files.writeString(conf.resolve("worker-1.env"), "OPENAI_BASE_URL=" + host + "/v1\n"
          + "OPENAI_BASE_URL_1=" + host + "/openai/deployments/security-review\nOPENAI_AUTH_STYLE_1=api-key\n"
          + "OPENAI_API_VERSION_1=2024-10-21\n", StandardOpenOption.APPEND);
      Result r = run(Map.of(), "--check-keys", "--workers", "1", "--conf-dir", conf.toString());
      assertEquals(1, r.exit, r.out + r.err);
      assertTrue(r.out.contains("worker-1 key-0 (OPENAI_API_KEY): HTTP 200"), r.out);
      assertTrue(r.out.contains("worker-1 key-1 (OPENAI_API_KEY_1): HTTP 200"), "its own provider's settings: " + r.out);
      Result dry = run(Map.of(), "--check-keys", "--dry-run", "--workers", "1", "--conf-dir", conf.toString());
      assertTrue(dry.out.contains(host + "/openai/models?api-version=2024-10-21  # worker-1 key-1"), dry.out);
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

  /** What the script looks for to start a private PostgreSQL: initdb and pg_ctl (as root, also a postgres user). */
  private static boolean postgresInstalled() throws Exception {
    String find = "{ command -v pg_ctl && command -v initdb; } >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1";
    boolean installed = new ProcessBuilder("bash", "-c", find).start().waitFor() == 0;
    boolean root = "root".equals(System.getProperty("user.name"));
    return installed && (!root || new ProcessBuilder("id", "postgres").start().waitFor() == 0);
  }

  /** A folder holding a {@code helm} that renders with Helm's own engine in this JVM's classpath (see {@link Chart#main}). */
  private Path helmOnPath() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helm = bin.resolve("helm");
    Files.writeString(helm, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
        + System.getProperty("java.class.path") + "' " + Chart.class.getName() + " \"$@\"\n");
    helm.toFile().setExecutable(true);
    return bin;
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
          String db = System.getenv("SCANNER_DB_URL");
          String passwordFile = System.getenv("SCANNER_DB_PASSWORD_FILE");
          boolean readable = passwordFile != null && java.nio.file.Files.size(java.nio.file.Path.of(passwordFile)) > 0;
          boolean reachable = false;
          if (db != null) {
            URI uri = URI.create(db.substring("jdbc:".length()));
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
              reachable = true;
            } catch (Exception refused) {
            }
          }
          System.out.println("store=" + System.getenv("SCANNER_STORE") + " db=" + db + " user=" + System.getenv("SCANNER_DB_USER")
              + " passwordFile=" + (readable ? "readable" : "missing") + " dbReachable=" + reachable);
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
