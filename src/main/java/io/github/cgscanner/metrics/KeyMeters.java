package io.github.cgscanner.metrics;

import io.github.cgscanner.config.ScannerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-key series read from the latest state each key verticle published (its cumulative counters), so
 * the key verticles need no metrics code. Outcomes partition the requests: {@code ok} counts valid
 * answers, {@code invalid} answers the validator rejected, {@code other} refused keys and bad requests.
 */
final class KeyMeters {
  static final List<String> STATES = List.of("healthy", "throttled", "disabled");

  private final Map<String, JsonObject> states = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags worker;

  KeyMeters(MeterRegistry registry, String nodeId) {
    this.registry = registry;
    this.worker = Tags.of("worker", nodeId);
  }

  /** @return the state the key had before, or null the first time it is seen */
  String update(JsonObject state) {
    JsonObject previous = states.put(state.getString("key"), state);
    return previous == null ? null : previous.getString("state");
  }

  List<Meter> register(List<String> aliases) {
    List<Meter> meters = new java.util.ArrayList<>();
    meters.add(Gauge.builder("scanner.worker.utilization", this, KeyMeters::utilization)
        .description("Busy key request slots divided by all key request slots of the worker")
        .tags(worker).register(registry));
    for (String alias : aliases) {
      Tags tags = worker.and("key", alias);
      meters.add(gauge("scanner.key.in.flight", "Requests this key has in flight", tags, alias, s -> num(s, "inFlight")));
      meters.add(gauge("scanner.key.capacity", "Requests this key may have in flight", tags, alias, s -> num(s, "capacity")));
      for (String st : STATES) {
        meters.add(gauge("scanner.key.state", "1 for the key's current state, 0 for the others", tags.and("state", st), alias,
            s -> st.equals(s.getString("state")) ? 1 : 0));
      }
      meters.add(requests(tags, alias, "ok", s -> num(s, "ok") - num(s, "invalid")));
      meters.add(requests(tags, alias, "invalid", s -> num(s, "invalid")));
      meters.add(requests(tags, alias, "rate_limited", s -> num(s, "rateLimited")));
      meters.add(requests(tags, alias, "server_error", s -> num(s, "serverErrors")));
      meters.add(requests(tags, alias, "timeout", s -> num(s, "timeouts")));
      meters.add(requests(tags, alias, "other", s -> num(s, "requests") - num(s, "ok") - num(s, "rateLimited")
          - num(s, "serverErrors") - num(s, "timeouts")));
      meters.add(tokens(tags, alias, "in", "promptTokens"));
      meters.add(tokens(tags, alias, "cached", "cachedTokens"));
      meters.add(tokens(tags, alias, "out", "completionTokens"));
    }
    return meters;
  }

  /**
   * What tells keys of one pool apart: each key's provider (endpoint host, model, dialect) as an info
   * series, whether it works around its endpoint ({@code degraded}), and the findings its answers held,
   * kept or rejected by the validator: divided by its requests, a worse model shows.
   */
  List<Meter> registerProviders(Map<String, ScannerConfig.Model> providers) {
    List<Meter> meters = new java.util.ArrayList<>();
    providers.forEach((alias, model) -> {
      Tags tags = worker.and("key", alias);
      meters.add(Gauge.builder("scanner.key.info", () -> 1)
          .description("Each key's provider: endpoint host, model and dialect (the value is always 1)")
          .tags(tags.and("provider", model.host()).and("model", model.name()).and("dialect", model.dialect())).register(registry));
      meters.add(gauge("scanner.key.degraded", "1 while the key's endpoint refused strict structured outputs and the schema goes in the prompt",
          tags, alias, s -> s.getValue("degraded") == null ? 0 : 1));
      meters.add(findings(tags, alias, "accepted", "findings"));
      meters.add(findings(tags, alias, "rejected", "findingsRejected"));
    });
    return meters;
  }

  /**
   * The series of budgets shared with the workers holding the same keys: this worker's share of each
   * key's budget, the waits of its keys for a share, and the event-bus messages the sharing costs.
   */
  List<Meter> registerShared(List<String> aliases, LongSupplier budgetMessages) {
    List<Meter> meters = new java.util.ArrayList<>();
    meters.add(FunctionCounter.builder("scanner.budget.messages", budgetMessages, LongSupplier::getAsLong)
        .description("Event-bus messages this worker sent to share key budgets with other workers").tags(worker).register(registry));
    for (String alias : aliases) {
      Tags tags = worker.and("key", alias);
      meters.add(gauge("scanner.key.budget.share", "Share of the key's cluster-wide budget this worker holds (0..1)", tags, alias,
          s -> num(s, "budgetShare")));
      meters.add(FunctionCounter.builder("scanner.key.slice.waits", this, m -> num(m.state(alias), "sliceWaits"))
          .description("Times the key had work and this worker no share of its budget to send it with").tags(tags).register(registry));
      meters.add(FunctionCounter.builder("scanner.key.slice.wait.seconds", this, m -> num(m.state(alias), "sliceWaitMs") / 1000)
          .description("Seconds the key's requests waited for a share of its budget").tags(tags).register(registry));
    }
    return meters;
  }

  double utilization() {
    double busy = 0;
    double total = 0;
    for (JsonObject s : states.values()) {
      busy += num(s, "inFlight");
      total += num(s, "capacity");
    }
    return total == 0 ? 0 : busy / total;
  }

  private Meter gauge(String name, String help, Tags tags, String alias, ToDoubleFunction<JsonObject> f) {
    return Gauge.builder(name, this, m -> f.applyAsDouble(m.state(alias))).description(help).tags(tags).register(registry);
  }

  private Meter requests(Tags tags, String alias, String outcome, ToDoubleFunction<JsonObject> f) {
    return FunctionCounter.builder("scanner.key.requests", this, m -> Math.max(0, f.applyAsDouble(m.state(alias))))
        .description("Model requests per key by outcome").tags(tags.and("outcome", outcome)).register(registry);
  }

  private Meter findings(Tags tags, String alias, String outcome, String field) {
    return FunctionCounter.builder("scanner.key.findings", this, m -> num(m.state(alias), field))
        .description("Findings in the key's answers: accepted by the validator, or rejected (path, lines or evidence not in the request)")
        .tags(tags.and("outcome", outcome)).register(registry);
  }

  private Meter tokens(Tags tags, String alias, String type, String field) {
    return FunctionCounter.builder("scanner.key.tokens", this, m -> num(m.state(alias), field))
        .description("Model tokens per key: in (prompt, cached included), cached, out (completion)")
        .tags(tags.and("type", type)).register(registry);
  }

  private JsonObject state(String alias) {
    return states.getOrDefault(alias, new JsonObject());
  }

  private static double num(JsonObject s, String field) {
    return s.getValue(field) instanceof Number n ? n.doubleValue() : 0;
  }
}
