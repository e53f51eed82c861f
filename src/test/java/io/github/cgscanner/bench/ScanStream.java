package io.github.cgscanner.bench;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.TestRepo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bench's submissions: a few generated repositories (small ones of ~20 files, big ones of 300+),
 * uploaded as zips to the ready replica with the least running + queued scans (a least-loaded load
 * balancer: a new replica takes the next submission), and what each scan must end with.
 */
final class ScanStream {
  record Repo(String name, TestRepo repo, Path zip, boolean big) {}

  record Submitted(String id, Repo repo) {}

  final List<Repo> small = new ArrayList<>();
  final List<Repo> big = new ArrayList<>();
  final List<Submitted> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Map<String, JsonObject> last = new ConcurrentHashMap<>();
  int refusedSubmissions;
  private int next;

  ScanStream(Path dir, int smallRepos, int smallFiles, int bigRepos, int bigFiles) throws Exception {
    for (int i = 0; i < smallRepos; i++) small.add(repo(dir, "small-" + i, smallFiles, 100 + i, false));
    for (int i = 0; i < bigRepos; i++) big.add(repo(dir, "big-" + i, bigFiles, 300 + i, true));
  }

  private static Repo repo(Path dir, String name, int files, long seed, boolean big) throws Exception {
    TestRepo repo = TestRepo.generate(dir.resolve(name), files, seed);
    if (!big) {
      // TestRepo always adds a 5,200-line file: without it a small scan is a handful of requests.
      String huge = "src/java/big/Huge.java";
      Files.delete(repo.root.resolve(huge));
      repo.planted.removeIf(p -> p.path().equals(huge));
    }
    return new Repo(name, repo, repo.zip(dir.resolve(name + ".zip")), big);
  }

  /** Submits the next scan ({@code big} or small) to the least-loaded ready replica; false if every one refused it. */
  boolean submit(List<Replica> ready, boolean bigScan) throws Exception {
    List<Repo> pool = bigScan ? big : small;
    Repo repo = pool.get(next++ % pool.size());
    List<Replica> byLoad = new ArrayList<>(ready);
    byLoad.sort(Comparator.comparingInt(Replica::routingLoad).thenComparingLong(r -> r.startedAt));
    for (Replica r : byLoad) {
      var response = r.http.postFile("/api/v1/scans", "application/zip", repo.zip());
      if (response.statusCode() == 202) {
        JsonObject body = response.bodyAsJsonObject();
        r.routedSinceScrape++;
        submitted.add(new Submitted(body.getString("id"), repo));
        last.put(body.getString("id"), body);
        return true;
      }
      refusedSubmissions++;
    }
    return false;
  }

  /** Reads every unfinished scan's state through {@code http}; returns how many are not final yet. */
  int refresh(Http http) throws Exception {
    int open = 0;
    for (Submitted s : submitted) {
      JsonObject known = last.get(s.id());
      if (known != null && isFinal(known)) continue;
      var r = http.get("/api/v1/scans/" + s.id());
      if (r.statusCode() == 200) last.put(s.id(), r.bodyAsJsonObject());
      if (r.statusCode() != 200 || !isFinal(r.bodyAsJsonObject())) open++;
    }
    return open;
  }

  static boolean isFinal(JsonObject scan) {
    return scan.getString("status", "").matches("completed|failed|cancelled");
  }

  /** Unfinished scans this node coordinates, as last read. */
  long openOn(String nodeId) {
    return onNode(nodeId, "queued|fetching|scanning");
  }

  /** Scans this node coordinates whose source is not prepared yet (an upload still on that worker's disk). */
  long unpreparedOn(String nodeId) {
    return onNode(nodeId, "queued|fetching");
  }

  long scanningOn(String nodeId) {
    return onNode(nodeId, "scanning");
  }

  private long onNode(String nodeId, String statuses) {
    return submitted.stream().map(s -> last.get(s.id()))
        .filter(j -> j != null && j.getString("status", "queued").matches(statuses) && nodeId.equals(j.getString("coordinator"))).count();
  }

  /** Planted findings of a finished scan: {@code [planted, reported once, missing, twice, never planted]}. */
  static int[] check(TestRepo repo, JsonArray findings) {
    Set<String> expected = new HashSet<>();
    repo.planted.forEach(p -> expected.add(p.path() + ":" + p.line() + ":" + p.cwe()));
    List<String> reported = findings.stream().map(JsonObject.class::cast).filter(f -> "llm".equals(f.getString("source")))
        .map(f -> f.getString("path") + ":" + f.getInteger("startLine") + ":" + f.getString("cwe")).toList();
    Set<String> distinct = new HashSet<>(reported);
    int twice = reported.size() - distinct.size();
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(distinct);
    Set<String> extra = new HashSet<>(distinct);
    extra.removeAll(expected);
    int once = expected.size() - missing.size();
    return new int[] {expected.size(), once, missing.size(), twice, extra.size()};
  }
}
