package io.github.cgscanner.deploy;

import static io.github.cgscanner.deploy.Yaml2.at;
import static io.github.cgscanner.deploy.Yaml2.list;
import static io.github.cgscanner.deploy.Yaml2.map;
import static io.github.cgscanner.deploy.Yaml2.mapAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Parses docker/compose/docker-compose.yml as Docker Compose would read it (YAML merge keys, then
 * {@code ${VAR:-default}} with no variable set, paths relative to the file's folder): Docker Compose is
 * not on these machines.
 */
class ComposeFileTest {
  private static final Path FILE = Path.of("docker/compose/docker-compose.yml").toAbsolutePath();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}");
  private static Map<String, Object> compose;
  private static Map<String, Object> services;

  @BeforeAll
  static void parse() throws Exception {
    compose = map(new Yaml().load(Files.readString(FILE)));
    services = mapAt(compose, "services");
  }

  @Test
  void fiveWorkersAndPostgresqlWithAVolume() {
    assertEquals(List.of("postgres", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"), List.copyOf(services.keySet()));
    Map<String, Object> postgres = map(services.get("postgres"));
    assertTrue(((String) postgres.get("image")).startsWith("postgres:"));
    assertEquals(List.of("scanner-postgres:/var/lib/postgresql/data"), postgres.get("volumes"));
    assertTrue(mapAt(compose, "volumes").containsKey("scanner-postgres"), "a named volume: the data outlives the container");
    assertTrue(list(at(postgres, "healthcheck.test")).toString().contains("pg_isready"));
    assertFalse(postgres.containsKey("ports"), "PostgreSQL stays on the private network");
  }

  @Test
  void eachWorkerReadsItsOwnEnvFileJoinsThePeersAndUsesThePostgresService() {
    Map<String, Object> postgres = map(services.get("postgres"));
    Map<String, Object> pgEnv = map(postgres.get("environment"));
    String members = String.join(",", IntStream.rangeClosed(1, 5).mapToObj(n -> "worker-" + n + ":5701").toList());
    for (int n = 1; n <= 5; n++) {
      String name = "worker-" + n;
      Map<String, Object> worker = map(services.get(name));
      assertEquals("chatgpt-security-scanner:latest", resolve((String) worker.get("image")));
      assertEquals(List.of("serve"), worker.get("command"));

      List<Object> envFiles = list(worker.get("env_file"));
      assertEquals(1, envFiles.size());
      Path envFile = FILE.getParent().resolve(resolve((String) envFiles.get(0))).normalize();
      assertEquals(Path.of("conf/workers/" + name + ".env").toAbsolutePath(), envFile, "its own keys only");
      assertTrue(Files.isRegularFile(Path.of(envFile + ".example")), "the file users copy from the example");

      Map<String, Object> env = map(worker.get("environment"));
      assertEquals("0.0.0.0", env.get("HTTP_HOST"));
      assertEquals(name, env.get("CLUSTER_HOST"));
      assertEquals(name, env.get("CLUSTER_PUBLIC_HOST"));
      assertEquals("5701", env.get("CLUSTER_PORT"));
      assertEquals("5801", env.get("CLUSTER_EVENTBUS_PORT"));
      assertEquals(members, env.get("CLUSTER_MEMBERS"));
      assertEquals("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"), env.get("SCANNER_DB_URL"));
      assertEquals(pgEnv.get("POSTGRES_USER"), env.get("SCANNER_DB_USER"));
      assertEquals(pgEnv.get("POSTGRES_PASSWORD_FILE"), env.get("SCANNER_DB_PASSWORD_FILE"), "one password file for both");
      assertEquals(List.of("scanner-db-password"), worker.get("secrets"));
      assertEquals("service_healthy", at(worker, "depends_on.postgres.condition"));
      if (n > 1) assertEquals("service_healthy", at(worker, "depends_on.worker-1.condition"));

      assertEquals(List.of("127.0.0.1:808" + n + ":8080"), worker.get("ports"), "only the API, only on loopback");
      assertEquals(List.of("scanner"), worker.get("networks"));
      int grace = Integer.parseInt(((String) worker.get("stop_grace_period")).replace("s", ""));
      assertTrue(grace > 20, "longer than the worker's own 20 s hand-over: " + grace);
    }
  }

  @Test
  void theDatabasePasswordIsAFileSecretThatGitIgnores() throws Exception {
    Map<String, Object> postgres = map(services.get("postgres"));
    assertEquals("/run/secrets/scanner-db-password", map(postgres.get("environment")).get("POSTGRES_PASSWORD_FILE"));
    assertEquals(List.of("scanner-db-password"), postgres.get("secrets"));
    String file = resolve((String) at(compose, "secrets.scanner-db-password.file"));
    Path password = FILE.getParent().resolve(file).normalize();
    assertEquals(Path.of("conf/workers/db/password").toAbsolutePath(), password);
    assertTrue(Files.readAllLines(Path.of(".gitignore")).contains("conf/workers/db/"), "the password never gets committed");
  }

  @Test
  void noClusterPortIsPublished() throws Exception {
    String text = Files.readString(FILE);
    assertFalse(text.matches("(?s).*[\"' ]\\d*:?570\\d:.*") || text.contains(":5801\""), "Hazelcast and the event bus stay private");
  }

  /** {@code ${VAR:-default}} as Compose reads it with VAR unset. */
  private static String resolve(String value) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
    m.appendTail(out);
    assertFalse(out.toString().contains("$"), "an unresolved variable in " + value);
    return out.toString();
  }
}
