package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.DecoyRepo;
import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the verification pass costs and how early its findings come. One 1,000-file repository (files of
 * 30-250 lines; a fifth with a real finding of high, critical or medium severity, three decoy sets) is scanned
 * three times by the real jar, {@code review.verify} off, high and all, against the simulator in its own
 * JVM (4 keys at 120 RPM each, 2 s ± 20% per answer), and every SSE event is timed as it arrives. Prints,
 * per 100 model findings, the verification's extra requests, tokens and cost, and the time to the first
 * verified finding against the first unverified one. Run: {@code mvn -B -Pbench verify -Dtest=NoSuchTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=VerificationBenchIT}.
 */
class VerificationBenchIT {
  static final List<String> KEYS = List.of("sk-bench-verify-0", "sk-bench-verify-1", "sk-bench-verify-2", "sk-bench-verify-3");

  @TempDir static Path tmp;

  /** One finding event: when it arrived (seconds after submission), whether the pass had looked at it, and at what. */
  record Seen(double at, JsonObject finding) {
    boolean model() {
      return "llm".equals(finding.getString("source"));
    }

    boolean verified() {
      JsonObject v = finding.getJsonObject("verification");
      return v != null && v.getString("failure") == null;
    }
  }

  record Run(String mode, double seconds, double reviewEndAt, List<Seen> findings, JsonObject scan) {
    long modelFindings() {
      return findings.stream().filter(Seen::model).count();
    }

    double firstModel(boolean verified) {
      return findings.stream().filter(s -> s.model() && s.verified() == verified).mapToDouble(Seen::at).min().orElse(Double.NaN);
    }

    JsonObject verificationUsage() {
      return scan.getJsonObject("usage").getJsonObject("verification");
    }

    /** Share of the verified findings streamed before the review's last answer. */
    double verifiedBeforeReviewEnd() {
      long verified = findings.stream().filter(Seen::verified).count();
      long early = findings.stream().filter(s -> s.verified() && s.at() <= reviewEndAt).count();
      return verified == 0 ? Double.NaN : (double) early / verified;
    }
  }

  @Test
  void verificationCostAndTimeToTheFirstVerifiedFinding() throws Exception {
    DecoyRepo repo = DecoyRepo.generate(179, 800, 30, 250, 3, 2026);
    Path zip = repo.zip(tmp.resolve("repo.zip"));
    List<Run> runs = new ArrayList<>();
    try (SimProcess sim = SimProcess.start(List.of("--keys", String.join(",", KEYS), "--rpm", "120", "--latency-ms", "2000",
        "--jitter", "0.2", "--burst-seconds", "1"))) {
      for (String mode : List.of("off", "high", "all")) runs.add(scan(sim, zip, mode));
    }
    Run off = runs.get(0);
    Run high = runs.get(1);
    Run all = runs.get(2);
    System.out.println();
    System.out.println("=== VerificationBenchIT: 1,000 files, 4 keys x 120 RPM, answers 2 s +- 20% (2 shared cores) ===");
    System.out.println("verify  model findings  rejected  requests (verif.)  prompt tokens (verif.)  cost USD (verif.)  total s");
    for (Run r : runs) {
      JsonObject u = r.scan().getJsonObject("usage");
      JsonObject vu = r.verificationUsage();
      System.out.printf(Locale.ROOT, "%-6s  %14d  %8d  %8d (%5d)  %12d (%8d)  %8.4f (%.4f)  %7.1f%n", r.mode(), r.modelFindings(),
          r.scan().getJsonObject("verification").getInteger("rejected"), u.getLong("requests"), vu.getLong("requests"),
          u.getLong("promptTokens"), vu.getLong("promptTokens"), u.getDouble("estimatedCostUsd"), vu.getDouble("estimatedCostUsd"),
          r.seconds());
    }
    System.out.println();
    System.out.println("per 100 model findings     extra requests  extra prompt tokens  extra completion tokens  extra cost USD");
    for (Run r : List.of(high, all)) {
      double per = 100.0 / r.modelFindings();
      JsonObject vu = r.verificationUsage();
      System.out.printf(Locale.ROOT, "verify %-4s                %14.1f  %19.0f  %23.0f  %14.4f%n", r.mode(), vu.getLong("requests") * per,
          vu.getLong("promptTokens") * per, vu.getLong("completionTokens") * per, vu.getDouble("estimatedCostUsd") * per);
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "first model finding, verify off (unverified):   %5.1f s%n", off.firstModel(false));
    System.out.printf(Locale.ROOT, "verify high: first unverified (medium) finding  %5.1f s, first verified %5.1f s (%.2fx)%n",
        high.firstModel(false), high.firstModel(true), high.firstModel(true) / high.firstModel(false));
    System.out.printf(Locale.ROOT, "verify all:  first verified finding             %5.1f s (%.2fx the first unverified with verify off)%n",
        all.firstModel(true), all.firstModel(true) / off.firstModel(false));
    for (Run r : List.of(high, all)) {
      System.out.printf(Locale.ROOT, "verify %-4s: review's last answer at %5.1f s; %3.0f%% of verified findings were out by then; done at %5.1f s%n",
          r.mode(), r.reviewEndAt(), 100 * r.verifiedBeforeReviewEnd(), r.seconds());
    }
    for (Run r : runs) {
      assertTrue("completed".equals(r.scan().getString("status")), r.mode() + ": " + r.scan().encode());
      if (!r.mode().equals("off")) {
        assertTrue("done".equals(r.scan().getJsonObject("verification").getString("status")), r.scan().encode());
      }
    }
    long decoys = repo.of(DecoyRepo.Kind.DECOY).size();
    assertTrue(all.scan().getJsonObject("verification").getInteger("rejected") >= decoys, "every decoy rejected at all");
    for (Run r : runs) assertTrue(r.modelFindings() >= repo.planted.size(), r.mode() + ": every planted line reported");
  }

  private Run scan(SimProcess sim, Path zip, String mode) throws Exception {
    Map<String, String> env = ScannerProcess.env("OPENAI_BASE_URL", sim.baseUrl(), "SCANNER_REVIEW_VERIFY", mode);
    for (int i = 0; i < KEYS.size(); i++) env.put(i == 0 ? "OPENAI_API_KEY" : "OPENAI_API_KEY_" + i, KEYS.get(i));
    Path config = tmp.resolve("bench-" + mode + ".json");
    Files.writeString(config, new JsonObject().put("keys", new JsonObject().put("limits", new JsonObject()
        .put("key-0", new JsonObject().put("rpm", 120)).put("key-1", new JsonObject().put("rpm", 120))
        .put("key-2", new JsonObject().put("rpm", 120)).put("key-3", new JsonObject().put("rpm", 120)))).encode());
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster", "--config", config.toString());
         Http http = new Http(scanner.baseUrl(), null)) {
      long submitted = System.nanoTime();
      var answer = http.postFile("/api/v1/scans", "application/zip", zip);
      if (answer.statusCode() != 202) throw new IllegalStateException("submit: " + answer.bodyAsString());
      String id = answer.bodyAsJsonObject().getString("id");
      List<Seen> findings = new ArrayList<>();
      double[] reviewEnd = {Double.NaN};
      JsonObject[] done = {null};
      Vertx vertx = http.vertx();
      WebClient client = WebClient.create(vertx);
      Promise<Void> ended = Promise.promise();
      Http.await(client.getAbs(scanner.baseUrl() + "/api/v1/scans/" + id + "/events").as(BodyCodec.sseStream(stream -> {
        stream.handler(e -> {
          double at = (System.nanoTime() - submitted) / 1e9;
          if (e.event() == null || e.data() == null || e.data().isBlank()) return;
          JsonObject data = new JsonObject(e.data());
          switch (e.event()) {
            case "finding" -> findings.add(new Seen(at, data));
            case "progress" -> {
              if (Double.isNaN(reviewEnd[0]) && data.getInteger("filesTotal") > 0
                  && data.getInteger("filesScanned") + data.getInteger("filesFailed") == data.getInteger("filesTotal")) {
                reviewEnd[0] = at;
              }
            }
            case "done" -> done[0] = data;
            default -> { }
          }
        });
        stream.endHandler(v -> ended.tryComplete());
        stream.exceptionHandler(ended::tryFail);
      })).send(), 900);
      Http.await(ended.future(), 900);
      double seconds = (System.nanoTime() - submitted) / 1e9;
      client.close();
      return new Run(mode, seconds, Double.isNaN(reviewEnd[0]) ? seconds : reviewEnd[0], findings, done[0]);
    }
  }
}
