package io.github.cgscanner.deploy;

import static io.github.cgscanner.deploy.Yaml2.at;
import static io.github.cgscanner.deploy.Yaml2.list;
import static io.github.cgscanner.deploy.Yaml2.listAt;
import static io.github.cgscanner.deploy.Yaml2.map;
import static io.github.cgscanner.deploy.Yaml2.mapAt;
import static io.github.cgscanner.deploy.Yaml2.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Renders docker/helm/chatgpt-security-scanner with Helm's own engine and checks what a cluster would get. */
class HelmChartTest {
  private static final String NS = "scans";
  private static final List<String> WORKERS = IntStream.rangeClosed(1, 5).mapToObj(n -> "worker-" + n).toList();
  private static List<Map<String, Object>> objects;

  @BeforeAll
  static void render() {
    objects = Chart.objects(Chart.template(NS, Map.of()));
  }

  @Test
  void everyWorkerHasItsOwnDeploymentWithProbesGracePreStopAndRequests() {
    assertEquals(WORKERS.stream().map(w -> "scanner-" + w).toList(), names("Deployment"));
    for (String worker : WORKERS) {
      Map<String, Object> deployment = Chart.find(objects, "Deployment", "scanner-" + worker);
      assertNull(at(deployment, "spec.replicas"), "the HPA owns the replica count; an apply must not reset it");
      assertTrue(matches(mapAt(deployment, "spec.selector.matchLabels"), mapAt(deployment, "spec.template.metadata.labels")));
      Map<String, Object> pod = mapAt(deployment, "spec.template.spec");
      Map<String, Object> container = map(listAt(pod, "containers").get(0));

      assertEquals(Map.of("path", "/health/ready", "port", "http"), mapAt(container, "readinessProbe.httpGet"), worker);
      assertEquals(Map.of("path", "/health/live", "port", "http"), mapAt(container, "livenessProbe.httpGet"), worker);
      for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
        assertTrue(((Integer) at(container, probe + ".timeoutSeconds")) > 0, probe + " has a timeout");
      }
      assertEquals(8080, named(listAt(container, "ports"), "name", "http").get("containerPort"));

      int grace = (Integer) pod.get("terminationGracePeriodSeconds");
      List<Object> preStop = listAt(container, "lifecycle.preStop.exec.command");
      int preStopSleep = Integer.parseInt((String) preStop.get(1));
      assertEquals("sleep", preStop.get(0));
      assertTrue(preStopSleep > 0 && preStopSleep <= 30, "a short pause for the endpoints: " + preStop);
      // the JVM's own hand-over takes up to 20 s after SIGTERM; the grace period covers both and then some
      assertTrue(grace >= 60 && grace >= preStopSleep + 20 + 30, "grace " + grace + " s");

      Map<String, Object> requests = mapAt(container, "resources.requests");
      assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), "requests: " + requests);
      assertEquals(List.of("serve"), container.get("args"));
      assertEquals(false, pod.get("automountServiceAccountToken"));
      assertEquals(true, at(pod, "securityContext.runAsNonRoot"));
    }
  }

  @Test
  void aWorkersPodsReadOnlyTheirOwnKeySecretAndTheDatabaseSecret() {
    for (String worker : WORKERS) {
      Map<String, Object> pod = mapAt(Chart.find(objects, "Deployment", "scanner-" + worker), "spec.template.spec");
      assertEquals(new TreeSet<>(Set.of("scanner-" + worker + "-keys", "scanner-db")), secretsReferenced(pod), worker);
      Map<String, Object> container = map(listAt(pod, "containers").get(0));
      assertEquals("scanner-" + worker + "-keys", at(map(listAt(container, "envFrom").get(0)), "secretRef.name"));
    }
  }

  @Test
  void workersFindEachOtherThroughTheHeadlessServiceAndReachTheDatabaseFromItsSecret() {
    Map<String, Object> headless = Chart.find(objects, "Service", "scanner-hz");
    assertEquals("None", at(headless, "spec.clusterIP"));
    assertEquals(true, at(headless, "spec.publishNotReadyAddresses"));
    assertEquals(Set.of(5701, 5801), portsOf(listAt(headless, "spec.ports")));
    Map<String, Object> http = Chart.find(objects, "Service", "scanner-http");
    assertEquals(Set.of(8080), portsOf(listAt(http, "spec.ports")));

    for (String worker : WORKERS) {
      Map<String, Object> deployment = Chart.find(objects, "Deployment", "scanner-" + worker);
      Map<String, Object> podLabels = mapAt(deployment, "spec.template.metadata.labels");
      assertTrue(matches(mapAt(headless, "spec.selector"), podLabels), worker + " is resolved by the headless Service");
      assertTrue(matches(mapAt(http, "spec.selector"), podLabels), worker + " serves the HTTP Service");
      Map<String, Object> pod = mapAt(deployment, "spec.template.spec");
      Map<String, Object> container = map(listAt(pod, "containers").get(0));
      List<Object> env = listAt(container, "env");
      assertEquals("scanner-hz." + NS + ".svc.cluster.local", named(env, "name", "CLUSTER_KUBERNETES_SERVICE_DNS").get("value"));
      assertEquals("5801", named(env, "name", "CLUSTER_EVENTBUS_PORT").get("value"));
      assertEquals("5701", named(env, "name", "CLUSTER_PORT").get("value"));
      assertEquals("$(POD_IP)", named(env, "name", "CLUSTER_HOST").get("value"));
      assertTrue(env.indexOf(named(env, "name", "POD_IP")) < env.indexOf(named(env, "name", "CLUSTER_HOST")),
          "$(POD_IP) only expands when POD_IP comes first");
      assertFalse(env.stream().anyMatch(e -> "CLUSTER_MEMBERS".equals(map(e).get("name"))));

      assertEquals(Map.of("name", "scanner-db", "key", "url"), mapAt(named(env, "name", "SCANNER_DB_URL"), "valueFrom.secretKeyRef"));
      assertEquals(Map.of("name", "scanner-db", "key", "user"), mapAt(named(env, "name", "SCANNER_DB_USER"), "valueFrom.secretKeyRef"));
      Path passwordFile = Path.of((String) named(env, "name", "SCANNER_DB_PASSWORD_FILE").get("value"));
      Map<String, Object> mount = named(listAt(container, "volumeMounts"), "mountPath", passwordFile.getParent().toString());
      Map<String, Object> volume = named(listAt(pod, "volumes"), "name", mount.get("name"));
      assertEquals("scanner-db", at(volume, "secret.secretName"));
      assertEquals(List.of(Map.of("key", "password", "path", passwordFile.getFileName().toString())), listAt(volume, "secret.items"));
    }
  }

  @Test
  void everyWorkerScalesFrom4To20OnWaitingScansAndCpuOnePodAtATimeDown() {
    assertEquals(WORKERS.stream().map(w -> "scanner-" + w).toList(), names("HorizontalPodAutoscaler"));
    for (String worker : WORKERS) {
      Map<String, Object> hpa = Chart.find(objects, "HorizontalPodAutoscaler", "scanner-" + worker);
      assertEquals("autoscaling/v2", hpa.get("apiVersion"));
      assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "scanner-" + worker), mapAt(hpa, "spec.scaleTargetRef"));
      assertEquals(4, at(hpa, "spec.minReplicas"));
      assertEquals(20, at(hpa, "spec.maxReplicas"));

      List<Object> metrics = listAt(hpa, "spec.metrics");
      assertEquals(2, metrics.size(), metrics.toString());
      Map<String, Object> waiting = named(metrics, "type", "External");
      assertEquals("scanner_scans_waiting", at(waiting, "external.metric.name"));
      assertEquals("AverageValue", at(waiting, "external.target.type"));
      Map<String, Object> cpu = named(metrics, "type", "Resource");
      assertEquals("cpu", at(cpu, "resource.name"));
      assertEquals("Utilization", at(cpu, "resource.target.type"));
      assertFalse(metrics.toString().contains("backlog"), "a key-bound backlog is no scaling signal: " + metrics);

      List<Object> down = listAt(hpa, "spec.behavior.scaleDown.policies");
      assertEquals(1, down.size(), down.toString());
      assertEquals("Pods", map(down.get(0)).get("type"));
      assertEquals(1, map(down.get(0)).get("value"));
      int grace = (Integer) at(Chart.find(objects, "Deployment", "scanner-" + worker), "spec.template.spec.terminationGracePeriodSeconds");
      assertTrue((Integer) map(down.get(0)).get("periodSeconds") >= grace, "one hand-over ends before the next pod leaves");
    }
  }

  @Test
  void aDisruptionBudgetCoversEveryWorkerPod() {
    Map<String, Object> pdb = Chart.find(objects, "PodDisruptionBudget", "scanner-workers");
    assertEquals("policy/v1", pdb.get("apiVersion"));
    assertEquals(1, at(pdb, "spec.maxUnavailable"));
    for (String worker : WORKERS) {
      Map<String, Object> labels = mapAt(Chart.find(objects, "Deployment", "scanner-" + worker), "spec.template.metadata.labels");
      assertTrue(matches(mapAt(pdb, "spec.selector.matchLabels"), labels), worker);
    }
    assertEquals(1, Chart.all(objects, "PodDisruptionBudget").size());
  }

  @Test
  void networkPoliciesKeepClusterPortsToWorkersAndTheDatabaseToWorkers() {
    Map<String, Object> workers = Chart.find(objects, "NetworkPolicy", "scanner-workers");
    Map<String, Object> workerSelector = mapAt(workers, "spec.podSelector.matchLabels");
    List<Object> rules = listAt(workers, "spec.ingress");
    Map<String, Object> clusterRule = rules.stream().map(Yaml2::map)
        .filter(r -> portsOf(list(r.get("ports"))).contains(5701)).findFirst().orElseThrow();
    assertEquals(Set.of(5701, 5801), portsOf(list(clusterRule.get("ports"))));
    assertEquals(List.of(Map.of("podSelector", Map.of("matchLabels", workerSelector))), clusterRule.get("from"),
        "only worker pods reach Hazelcast and the event bus");
    for (Object rule : rules) {
      Set<Integer> ports = portsOf(list(map(rule).get("ports")));
      assertTrue(ports.equals(Set.of(5701, 5801)) || ports.equals(Set.of(8080)), "no rule mixes the API and the cluster ports: " + rule);
    }

    Map<String, Object> database = Chart.find(objects, "NetworkPolicy", "scanner-postgres");
    List<Object> dbRules = listAt(database, "spec.ingress");
    assertEquals(1, dbRules.size());
    assertEquals(Set.of(5432), portsOf(list(map(dbRules.get(0)).get("ports"))));
    assertEquals(List.of(Map.of("podSelector", Map.of("matchLabels", workerSelector))), map(dbRules.get(0)).get("from"));
    Map<String, Object> postgresPods = mapAt(Chart.find(objects, "StatefulSet", "scanner-postgres"), "spec.template.metadata.labels");
    assertTrue(matches(mapAt(database, "spec.podSelector.matchLabels"), postgresPods));
    for (String worker : WORKERS) {
      Map<String, Object> labels = mapAt(Chart.find(objects, "Deployment", "scanner-" + worker), "spec.template.metadata.labels");
      assertTrue(matches(workerSelector, labels), worker + " is covered by the workers' policy");
    }
  }

  @Test
  void postgresqlIsAStatefulSetWithAVolumeBehindAServiceTheSecretNames() {
    Map<String, Object> statefulSet = Chart.find(objects, "StatefulSet", "scanner-postgres");
    assertEquals(1, at(statefulSet, "spec.replicas"));
    Map<String, Object> claim = map(listAt(statefulSet, "spec.volumeClaimTemplates").get(0));
    assertEquals("20Gi", at(claim, "spec.resources.requests.storage"));
    Map<String, Object> pod = mapAt(statefulSet, "spec.template.spec");
    Map<String, Object> container = map(listAt(pod, "containers").get(0));
    List<Object> env = listAt(container, "env");
    String pgdata = (String) named(env, "name", "PGDATA").get("value");
    String dataMount = (String) named(listAt(container, "volumeMounts"), "name", at(claim, "metadata.name")).get("mountPath");
    assertTrue(pgdata.startsWith(dataMount + "/"), "PGDATA " + pgdata + " is on the volume " + dataMount);
    assertEquals(Map.of("name", "scanner-db", "key", "user"), mapAt(named(env, "name", "POSTGRES_USER"), "valueFrom.secretKeyRef"));
    assertEquals("/secrets/db/password", named(env, "name", "POSTGRES_PASSWORD_FILE").get("value"));
    assertEquals(Set.of("scanner-db"), secretsReferenced(pod));

    int maxConnections = Integer.parseInt(String.join(" ", list(container.get("args")).stream().map(String::valueOf).toList())
        .replaceAll(".*max_connections=(\\d+).*", "$1"));
    assertTrue(maxConnections >= 5 * 20 * 4, "5 workers x 20 replicas x a pool of 4: " + maxConnections);

    Map<String, Object> service = Chart.find(objects, "Service", "scanner-postgres");
    assertTrue(matches(mapAt(service, "spec.selector"), mapAt(statefulSet, "spec.template.metadata.labels")));
    assertEquals(Set.of(5432), portsOf(listAt(service, "spec.ports")));
  }

  @Test
  void anExternalDatabaseLeavesOutTheStatefulSetAndKeepsTheUrlInTheSecret() {
    List<Map<String, Object>> external = Chart.objects(Chart.template(NS, Map.of("postgresql.enabled", "false")));
    assertTrue(Chart.all(external, "StatefulSet").isEmpty());
    assertFalse(names(external, "NetworkPolicy").contains("scanner-postgres"));
    Map<String, Object> container = map(listAt(Chart.find(external, "Deployment", "scanner-worker-1"), "spec.template.spec.containers").get(0));
    assertEquals(Map.of("name", "scanner-db", "key", "url"),
        mapAt(named(listAt(container, "env"), "name", "SCANNER_DB_URL"), "valueFrom.secretKeyRef"));
  }

  @Test
  void theWorkersListDecidesWhatIsRenderedAndBadValuesAreRefused() {
    List<Map<String, Object>> two = Chart.objects(Chart.template(NS, Map.of("workers[0].name", "alpha", "workers[1].name", "beta",
        "workers[1].maxReplicas", "8")));
    assertEquals(List.of("scanner-alpha", "scanner-beta"), names(two, "Deployment"));
    assertEquals(8, at(Chart.find(two, "HorizontalPodAutoscaler", "scanner-beta"), "spec.maxReplicas"));

    assertRefused(Map.of("workers[0].name", "Worker_1"), "must be a DNS label");
    assertRefused(Map.of("worker.env.CLUSTER_HOST", "0.0.0.0"), "CLUSTER_HOST, which the chart sets itself");
    assertRefused(Map.of("database.poolSize", "10"), "above postgresql.maxConnections");
  }

  @Test
  void theRenderedExampleAndThePrometheusAdapterRuleMatchTheChart() throws Exception {
    Path example = Path.of("docker/autoscaling/hpa-worker-1.rendered.yaml");
    assertEquals(Chart.find(objects, "HorizontalPodAutoscaler", "scanner-worker-1"),
        Chart.objects(Files.readString(example)).get(0), example + " is what the chart renders (re-render it when the chart changes)");

    Map<String, Object> adapter = map(new Yaml().load(Files.readString(Path.of("docker/autoscaling/prometheus-adapter-values.yaml"))));
    Map<String, Object> rule = map(listAt(adapter, "rules.external").get(0));
    Map<String, Object> hpaMetric = mapAt(map(listAt(Chart.find(objects, "HorizontalPodAutoscaler", "scanner-worker-1"), "spec.metrics").get(0)),
        "external.metric");
    assertEquals(hpaMetric.get("name"), at(rule, "name.as"), "the adapter serves the metric the HPAs read");
    String query = (String) rule.get("metricsQuery");
    assertTrue(query.startsWith("max by (namespace, app_kubernetes_io_instance)"),
        "every replica reports the same cluster-wide count: one of them, never their sum: " + query);
    String selectorLabel = mapAt(hpaMetric, "selector.matchLabels").keySet().iterator().next();
    assertTrue(query.contains(selectorLabel) && ((String) rule.get("seriesQuery")).contains(selectorLabel));
    String scrape = Files.readString(Path.of("docker/autoscaling/prometheus-scrape.example.yaml"));
    assertTrue(scrape.contains("target_label: " + selectorLabel), "the scrape job adds the label the HPA selects on");
  }

  private static void assertRefused(Map<String, String> sets, String message) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> Chart.template(NS, sets));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static List<String> names(String kind) {
    return names(objects, kind);
  }

  private static List<String> names(List<Map<String, Object>> rendered, String kind) {
    return Chart.all(rendered, kind).stream().map(o -> (String) at(o, "metadata.name")).toList();
  }

  private static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  private static Set<Integer> portsOf(List<Object> ports) {
    Set<Integer> found = new TreeSet<>();
    for (Object port : ports) found.add((Integer) map(port).get("port"));
    return found;
  }

  /** Every Secret a pod spec names: envFrom, env valueFrom and volumes. */
  private static Set<String> secretsReferenced(Object node) {
    Set<String> found = new TreeSet<>();
    List<Object> pending = new ArrayList<>(List.of(node));
    while (!pending.isEmpty()) {
      Object current = pending.remove(pending.size() - 1);
      if (current instanceof Map<?, ?> m) {
        m.forEach((key, value) -> {
          if ("secretName".equals(key)) found.add((String) value);
          if (("secretRef".equals(key) || "secretKeyRef".equals(key)) && value instanceof Map<?, ?> ref) found.add((String) ref.get("name"));
          pending.add(value);
        });
      } else if (current instanceof List<?> l) {
        pending.addAll(l);
      }
    }
    return found;
  }
}
