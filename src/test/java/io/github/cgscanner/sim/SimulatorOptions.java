package io.github.cgscanner.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the {@link ModelSimulator} behaves. Build with {@link #builder()}; every fault rate is a
 * probability per accepted request, drawn from one seeded Random so runs repeat.
 */
public record SimulatorOptions(
    int port,
    List<String> keys,
    Set<String> quotaKeys,
    List<String> models,
    String shutdownDate,
    Limit defaultLimit,
    Map<String, Limit> keyLimits,
    List<Group> groups,
    double burstSeconds,
    HeaderStyle headerStyle,
    long latencyMs,
    double jitter,
    Faults faults,
    long seed,
    double spurious429,
    boolean hostileTitles,
    boolean varyAnswers,
    int maxPrompts,
    boolean failVerification,
    Dialect dialect,
    String deployment,
    String apiVersion,
    boolean rejectStrict) {

  /** The title of cross-site scripting findings when {@link Builder#hostileTitles()} is set. */
  public static final String HOSTILE_TITLE = "<img src=x onerror=alert(1)>";

  /** Requests and tokens per minute; 0 = unlimited. */
  public record Limit(long rpm, long tpm) {
    public static final Limit NONE = new Limit(0, 0);

    boolean unlimited() {
      return rpm <= 0 && tpm <= 0;
    }
  }

  /** Keys counted against one shared budget, like the keys of one OpenAI project. */
  public record Group(String name, List<String> keys, Limit limit) {}

  /**
   * {@code DURATION}: OpenAI's {@code 6m0s}; {@code INTEGER}: LiteLLM's whole seconds; {@code REMAINING}:
   * Azure OpenAI's remaining counts without limits or reset times; {@code NONE}: no rate headers at all.
   */
  public enum HeaderStyle { DURATION, INTEGER, REMAINING, NONE }

  /**
   * {@code OPENAI}: {@code /v1/…} with {@code Authorization: Bearer}. {@code AZURE}: a deployment path
   * {@code /openai/deployments/<deployment>/chat/completions?api-version=…}, the key in {@code api-key}
   * (Bearer refused), no models list. {@code SELF_HOSTED}: {@code /v1/…} with Bearer, one served model
   * name, and with {@code rejectStrict} no strict schemas nor fields it does not know. Requests of
   * another dialect are refused and counted ({@link ModelSimulator#wrongDialect()}).
   */
  public enum Dialect { OPENAI, AZURE, SELF_HOSTED }

  public record Faults(double error500, double error503, double hang, double truncated, double malformed,
      double refusal, double madeUp) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int port;
    private double spurious429;
    private final List<String> keys = new ArrayList<>();
    private final Set<String> quotaKeys = new LinkedHashSet<>();
    private final List<String> models = new ArrayList<>(List.of("gpt-5.4-mini"));
    private String shutdownDate;
    private Limit defaultLimit = Limit.NONE;
    private final Map<String, Limit> keyLimits = new HashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private double burstSeconds = 2.0;
    private HeaderStyle headerStyle = HeaderStyle.DURATION;
    private long latencyMs;
    private double jitter = 0.2;
    private Faults faults = Faults.NONE;
    private long seed = 42;
    private boolean hostileTitles;
    private boolean varyAnswers;
    private int maxPrompts = Integer.MAX_VALUE;
    private boolean failVerification;
    private Dialect dialect = Dialect.OPENAI;
    private String deployment;
    private String apiVersion;
    private boolean rejectStrict;

    public Builder port(int port) { this.port = port; return this; }
    public Builder keys(String... keys) { this.keys.addAll(List.of(keys)); return this; }
    /** Known keys whose account has no quota left: every call answers 429 insufficient_quota. */
    public Builder quotaKeys(String... keys) { this.keys.addAll(List.of(keys)); this.quotaKeys.addAll(List.of(keys)); return this; }
    public Builder models(String... models) { this.models.clear(); this.models.addAll(List.of(models)); return this; }
    public Builder shutdownDate(String date) { this.shutdownDate = date; return this; }
    /** Limit of every key that has no limit of its own and is in no group. */
    public Builder limit(long rpm, long tpm) { this.defaultLimit = new Limit(rpm, tpm); return this; }
    public Builder keyLimit(String key, long rpm, long tpm) { keyLimits.put(key, new Limit(rpm, tpm)); return this; }
    public Builder group(String name, List<String> keys, long rpm, long tpm) { groups.add(new Group(name, List.copyOf(keys), new Limit(rpm, tpm))); return this; }
    public Builder burstSeconds(double seconds) { this.burstSeconds = seconds; return this; }
    public Builder headerStyle(HeaderStyle style) { this.headerStyle = style; return this; }
    public Builder latency(long meanMs, double jitter) { this.latencyMs = meanMs; this.jitter = jitter; return this; }
    public Builder faults(Faults faults) { this.faults = faults; return this; }
    public Builder seed(long seed) { this.seed = seed; return this; }
    /** A share of requests answered 429 {@code rate_limit_exceeded} whatever the limits: a provider under load. */
    public Builder spurious429(double share) { this.spurious429 = share; return this; }
    /** Cross-site scripting findings come back titled {@link #HOSTILE_TITLE}: model text a page must show as text. */
    public Builder hostileTitles() { this.hostileTitles = true; return this; }
    /**
     * Answers vary like a real model's between two reviews of the same code: the CWE within its family,
     * the end line by one, the order of the findings (drawn from the seeded Random).
     */
    public Builder varyAnswers() { this.varyAnswers = true; return this; }
    /** Prompts kept for {@code /_sim/prompts}; long benchmark runs keep none. */
    public Builder maxPrompts(int max) { this.maxPrompts = max; return this; }
    /** Every verification request (a schema with {@code verdicts}) is answered 500: a provider that fails the second look. */
    public Builder failVerification() { this.failVerification = true; return this; }
    /** An Azure OpenAI deployment of {@code model}: rate headers of remaining counts only. */
    public Builder azure(String deployment, String apiVersion, String model) {
      this.dialect = Dialect.AZURE; this.deployment = deployment; this.apiVersion = apiVersion;
      return models(model).headerStyle(HeaderStyle.REMAINING);
    }
    /** A self-hosted server (vLLM, Ollama, llama.cpp) serving {@code model}: no rate headers. */
    public Builder selfHosted(String model, boolean rejectStrict) {
      this.dialect = Dialect.SELF_HOSTED; this.rejectStrict = rejectStrict;
      return models(model).headerStyle(HeaderStyle.NONE);
    }

    public SimulatorOptions build() {
      return new SimulatorOptions(port, List.copyOf(keys), Set.copyOf(quotaKeys), List.copyOf(models), shutdownDate,
          defaultLimit, Map.copyOf(keyLimits), List.copyOf(groups), burstSeconds, headerStyle, latencyMs, jitter,
          faults, seed, spurious429, hostileTitles, varyAnswers, maxPrompts, failVerification, dialect, deployment, apiVersion,
          rejectStrict);
    }
  }
}
