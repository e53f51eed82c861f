package io.github.cgscanner.bench;

import io.github.cgscanner.it.Http;
import io.github.cgscanner.sim.ModelSimulator;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What AutoscalerBenchIT measured, checked against its targets: one line per figure. */
final class BenchFigures {
  interface Target {
    void check(String name, boolean pass, String figure);
  }

  private final ModelSimulator sim;
  private final ReplicaFleet fleet;
  private final BenchAutoscaler scaler;
  private final ScanStream stream;
    private final long t0;
  private int complete;
  private final List<String> notComplete = new ArrayList<>();
  private final int[] planted = new int[5];

  BenchFigures(ModelSimulator sim, ReplicaFleet fleet, BenchAutoscaler scaler, ScanStream stream, long t0) {
    this.sim = sim;
    this.fleet = fleet;
    this.scaler = scaler;
    this.stream = stream;
        this.t0 = t0;
  }

  /** Reads every scan and its findings through one surviving replica. */
  void verifyScans(Http http) throws Exception {
    for (ScanStream.Submitted s : stream.submitted) {
      JsonObject scan = http.get("/api/v1/scans/" + s.id()).bodyAsJsonObject();
      boolean ok = "completed".equals(scan.getString("status")) && "done".equals(scan.getString("modelReview"));
      if (ok) complete++;
      else notComplete.add(s.repo().name() + " " + s.id() + ": " + scan.getString("status") + "/" + scan.getString("modelReview")
          + (scan.getJsonObject("error") == null ? "" : " " + scan.getJsonObject("error").getString("code")));
      int[] c = ScanStream.check(s.repo().repo(), http.get("/api/v1/scans/" + s.id() + "/findings").bodyAsJsonObject().getJsonArray("findings"));
      for (int i = 0; i < c.length; i++) planted[i] += c[i];
    }
  }

  void report(Target target) throws java.io.IOException {
    int n = stream.submitted.size();
    long bigScans = stream.submitted.stream().filter(s -> s.repo().big()).count();
    target.check("every scan completed with modelReview done", complete == n && n > 0,
        String.format(Locale.ROOT, "%d of %d (%d of 300+ files; %d submissions refused by a replica and sent to another)%s",
            complete, n, bigScans, stream.refusedSubmissions,
            notComplete.isEmpty() ? "" : "; not: " + String.join(", ", notComplete.subList(0, Math.min(8, notComplete.size())))));
    target.check("every planted finding exactly once", planted[1] == planted[0] && planted[3] == 0 && planted[4] == 0,
        String.format(Locale.ROOT, "%d of %d planted reported (%.4f), %d missing, %d twice, %d never planted",
            planted[1], planted[0], ratio(planted[1], planted[0]), planted[2], planted[3], planted[4]));
    long refused = 0;
    long answered = 0;
    JsonObject responses = sim.stats().getJsonObject("responses");
    for (String label : responses.fieldNames()) {
      JsonObject byStatus = responses.getJsonObject(label);
      for (String status : byStatus.fieldNames()) {
        answered += byStatus.getLong(status);
        if (status.equals("429")) refused += byStatus.getLong(status);
      }
    }
    target.check("no 429 storm: 429s < 5% of model requests", ratio(refused, answered) < 0.05,
        String.format(Locale.ROOT, "%d of %d (%.2f%%)", refused, answered, 100 * ratio(refused, answered)));
    target.check("the rule scaled 2 → 5 on scanner_scans_waiting", scaler.peakReplicas == AutoscalerBenchIT.MAX,
        String.format(Locale.ROOT, "peak %d ready replicas; peak waiting %.0f scans, peak backlog %.0f tasks (not scaled on)",
            scaler.peakReplicas, scaler.peakWaiting, scaler.peakBacklog));
    target.check("removed one by one down to 2 while scans ran", scaler.removed() == AutoscalerBenchIT.MAX - AutoscalerBenchIT.MIN,
        scaler.removed() + " removals: " + String.join("; ", scaler.removals));
    scaleUp(target);
    replicas(target);
  }

  private void scaleUp(Target target) {
    List<BenchAutoscaler.Sample> samples = scaler.samples();
    long asked = samples.stream().filter(x -> x.desired() >= AutoscalerBenchIT.MAX).mapToLong(BenchAutoscaler.Sample::at).min().orElse(0);
    long reached = samples.stream().filter(x -> x.replicas() >= AutoscalerBenchIT.MAX).mapToLong(BenchAutoscaler.Sample::at).min().orElse(0);
    target.check("INFO scale-up", true, String.format(Locale.ROOT, "the rule first asked for %d replicas at t=%.1fs, %d were ready at t=%.1fs "
        + "(one JVM started at a time)", AutoscalerBenchIT.MAX, (asked - t0) / 1000.0, AutoscalerBenchIT.MAX, (reached - t0) / 1000.0));
  }

  private void replicas(Target target) throws java.io.IOException {
    for (Replica r : fleet.all) {
      boolean added = r.index >= AutoscalerBenchIT.MIN;
      double ready = r.readyAt == 0 ? -1 : (r.readyAt - r.startedAt) / 1000.0;
      double work = r.firstRequestAt == 0 ? -1 : (r.firstRequestAt - r.startedAt) / 1000.0;
      String figure = String.format(Locale.ROOT, "JVM started at t=%.1fs, ready after %.1f s, first model request after %.1f s "
          + "(ready → work %.1f s, %.2f of the time); %s", (r.startedAt - t0) / 1000.0, ready, work, work - ready,
          work <= 0 ? 0 : (work - ready) / work, r.ending);
      figure += "; " + StartPhases.of(r);
      if (added) target.check(r.name() + " (added) takes work < 10 s after its start", work > 0 && work < 10, figure);
      else target.check(r.name() + " (initial): " + figure, true, "info");
    }
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }
}
