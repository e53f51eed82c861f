package io.github.cgscanner.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible Chat Completions endpoint for tests and benchmarks, in the dialect of OpenAI,
 * of an Azure OpenAI deployment or of a self-hosted server ({@link SimDialect}): strict about requests,
 * enforces per-key and per-group limits with OpenAI-style headers, answers after a simulated latency,
 * injects faults from a seeded Random, and reports findings derived only from the code it is sent
 * ({@link VulnPatterns}). Keys are reported as {@code key-<index in options.keys>}.
 */
public final class ModelSimulator {
  private final Vertx vertx;
  private final SimulatorOptions options;
  private final Random random;
  private final SimDialect dialect;
  private final Map<String, String> labels = new HashMap<>();
  private final Map<String, SimLimiter> limiters = new HashMap<>();
  /** Budget name (group name, or the key's label) → its limiter, for {@code /_sim/stats}. */
  private final Map<String, SimLimiter> budgets = new HashMap<>();
  /** "path:line" → how many answered requests carried that line: 1 each means nothing lost or sent twice. */
  private final Map<String, Integer> answeredLines = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxConcurrent = new ConcurrentHashMap<>();
  private final Set<String> cacheKeysSeen = ConcurrentHashMap.newKeySet();
  private final List<String> prompts = new ArrayList<>();
  private final AtomicLong totalTokens = new AtomicLong();
  private final AtomicLong verificationRequests = new AtomicLong();
  private final AtomicLong firstRequestAt = new AtomicLong();
  private final AtomicLong lastAnswerAt = new AtomicLong();
  private HttpServer server;

  public ModelSimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.random = new Random(options.seed());
    this.dialect = new SimDialect(options);
    long now = System.currentTimeMillis();
    for (int i = 0; i < options.keys().size(); i++) {
      labels.put(options.keys().get(i), "key-" + i);
    }
    Set<String> grouped = new HashSet<>();
    for (SimulatorOptions.Group g : options.groups()) {
      SimLimiter shared = new SimLimiter(g.limit(), options.burstSeconds(), now);
      g.keys().forEach(k -> limiters.put(k, shared));
      budgets.put(g.name(), shared);
      grouped.addAll(g.keys());
    }
    for (String key : options.keys()) {
      SimulatorOptions.Limit limit = options.keyLimits().getOrDefault(key, options.defaultLimit());
      if (!grouped.contains(key) && !limit.unlimited()) {
        SimLimiter own = new SimLimiter(limit, options.burstSeconds(), now);
        limiters.put(key, own);
        budgets.put(labels.get(key), own);
      }
    }
  }

  public Future<Integer> start() {
    return vertx.createHttpServer()
        .requestHandler(this::route)
        .listen(options.port(), "127.0.0.1")
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
  }

  /** What the scanner puts in {@code model.baseUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + dialect.basePath();
  }

  /** Requests in another provider's dialect: wrong auth header, path or {@code api-version}. */
  public long wrongDialect() {
    return dialect.wrongDialect();
  }

  /** Requests a server without strict schemas refused for their shape. */
  public long refusedShape() {
    return dialect.refusedShape();
  }

  public synchronized List<String> prompts() {
    return List.copyOf(prompts);
  }

  public int maxConcurrent(String label) {
    return maxConcurrent.getOrDefault(label, 0);
  }

  public long responses(String label, int status) {
    AtomicLong n = statuses.getOrDefault(label, Map.of()).get(status);
    return n == null ? 0 : n.get();
  }

  public JsonObject stats() {
    JsonObject byStatus = new JsonObject();
    statuses.forEach((label, m) -> {
      JsonObject s = new JsonObject();
      m.forEach((status, n) -> s.put(String.valueOf(status), n.get()));
      byStatus.put(label, s);
    });
    JsonObject req = new JsonObject();
    requests.forEach((label, n) -> req.put(label, n.get()));
    JsonObject perBudget = new JsonObject();
    budgets.forEach((name, limiter) -> perBudget.put(name, limiter.stats()));
    return new JsonObject()
        .put("requests", req)
        .put("responses", byStatus)
        .put("maxConcurrent", new JsonObject(new HashMap<>(maxConcurrent)))
        .put("inFlight", new JsonObject(new HashMap<>(inFlight)))
        .put("totalTokens", totalTokens.get())
        .put("verificationRequests", verificationRequests.get())
        .put("firstRequestAt", firstRequestAt.get())
        .put("lastAnswerAt", lastAnswerAt.get())
        .put("wrongDialect", dialect.wrongDialect())
        .put("refusedShape", dialect.refusedShape())
        .put("budgets", perBudget);
  }

  /** Lines answered: how many distinct, and which were answered more than once (a few examples). */
  public JsonObject answeredLines() {
    JsonArray repeated = new JsonArray();
    long repeats = 0;
    for (Map.Entry<String, Integer> e : answeredLines.entrySet()) {
      if (e.getValue() > 1) {
        repeats++;
        if (repeated.size() < 20) repeated.add(e.getKey() + " x" + e.getValue());
      }
    }
    return new JsonObject().put("distinct", answeredLines.size()).put("repeated", repeats).put("examples", repeated);
  }

  private void route(HttpServerRequest req) {
    String path = req.path();
    if (req.method().name().equals("GET") && path.equals("/_sim/stats")) {
      json(req.response(), 200, stats());
    } else if (req.method().name().equals("GET") && path.equals("/_sim/lines")) {
      json(req.response(), 200, answeredLines());
    } else if (req.method().name().equals("GET") && path.equals("/_sim/prompts")) {
      json(req.response(), 200, new JsonObject().put("prompts", new JsonArray(new ArrayList<>(prompts()))));
    } else if (dialect.isModels(req)) {
      models(req);
    } else if (dialect.isChat(req)) {
      req.body().onSuccess(body -> chat(req, body));
    } else {
      dialect.unknownPath();
      json(req.response(), 404, error("Unknown path", "invalid_request_error", "not_found"));
    }
  }

  private String presentedKey(HttpServerRequest req) {
    return dialect.key(req);
  }

  /** A request with another dialect's query is answered as that provider answers it. */
  private boolean refuseWrongQuery(HttpServerRequest req, String label) {
    JsonObject wrong = dialect.wrongQuery(req);
    if (wrong == null) return false;
    reject(req.response(), label, dialect.azure() ? 404 : 400, wrong);
    return true;
  }

  /** Like the real service, the 401 body echoes part of the key: the scanner must never pass it on. */
  private boolean refuseUnknownKey(HttpServerRequest req, String key) {
    if (key != null && labels.containsKey(key)) return false;
    String shown = key == null ? "" : key.length() <= 9 ? key : key.substring(0, 5) + "****" + key.substring(key.length() - 4);
    reject(req.response(), "unknown", 401, error("Incorrect API key provided: " + shown
        + ". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
    return true;
  }

  private void models(HttpServerRequest req) {
    String key = presentedKey(req);
    if (refuseUnknownKey(req, key) || refuseWrongQuery(req, labels.get(key))) return;
    JsonArray data = new JsonArray();
    for (String m : options.models()) {
      JsonObject entry = new JsonObject().put("id", m).put("object", "model").put("created", 1_700_000_000).put("owned_by", "simulator");
      if (options.shutdownDate() != null) entry.put("shutdown_date", options.shutdownDate());
      data.add(entry);
    }
    json(req.response(), 200, new JsonObject().put("object", "list").put("data", data));
  }

  private void chat(HttpServerRequest req, Buffer raw) {
    String key = presentedKey(req);
    JsonObject body;
    try {
      body = raw.toJsonObject();
    } catch (RuntimeException e) {
      body = new JsonObject();
    }
    String userText = userMessage(body);
    synchronized (this) {
      if (prompts.size() < options.maxPrompts()) prompts.add(userText);
    }
    if (refuseUnknownKey(req, key)) return;
    String label = labels.get(key);
    if (refuseWrongQuery(req, label)) return;
    requests.computeIfAbsent(label, l -> new AtomicLong()).incrementAndGet();
    firstRequestAt.compareAndSet(0, System.currentTimeMillis());
    if (options.quotaKeys().contains(key)) {
      reject(req.response(), label, 429, error("You exceeded your current quota, please check your plan and billing details.",
          "insufficient_quota", "insufficient_quota"));
      return;
    }
    if (dialect.checksModel() && (!(body.getValue("model") instanceof String model) || !options.models().contains(model))) {
      // What OpenAI answers for a model that does not exist or the key cannot use.
      reject(req.response(), label, 404, error("The model does not exist or you do not have access to it.",
          "invalid_request_error", "model_not_found"));
      return;
    }
    JsonObject shape = dialect.schemaInPrompt() ? dialect.shapeProblem(body) : null;
    if (shape != null) {
      reject(req.response(), label, 400, shape);
      return;
    }
    String invalid = invalidRequest(body, !dialect.schemaInPrompt());
    if (invalid != null) {
      reject(req.response(), label, 400, error(invalid, "invalid_request_error", "invalid_request"));
      return;
    }
    long promptTokens = promptChars(body) / 4;
    long cost = promptTokens + body.getLong("max_completion_tokens");
    SimLimiter limiter = limiters.get(key);
    SimLimiter.Decision d = limiter == null ? null : limiter.tryTake(cost, System.currentTimeMillis());
    if (d != null) rateHeaders(req.response(), d);
    if (d != null && !d.allowed()) {
      rateLimited(req.response(), label, body.getString("model"), d);
      return;
    }
    double spurious;
    synchronized (random) {
      spurious = random.nextDouble();
    }
    if (spurious < options.spurious429()) {
      req.response().putHeader("retry-after-ms", "250");
      reject(req.response(), label, 429, error("Rate limit reached for " + body.getString("model")
          + " in organization org-simulator on requests per min (RPM). Please try again in 0.250s.", "requests", "rate_limit_exceeded"));
      return;
    }
    enter(label);
    req.response().closeHandler(v -> leave(label));
    double r;
    synchronized (random) {
      r = random.nextDouble();
    }
    long delay = Math.max(0, Math.round(options.latencyMs() * (1 + options.jitter() * (2 * r - 1))));
    SimulatorOptions.Faults f = options.faults();
    double fault;
    synchronized (random) {
      fault = random.nextDouble();
    }
    if (fault < f.hang()) {
      return;
    }
    JsonObject answer = body;
    vertx.setTimer(Math.max(1, delay), id -> respond(req.response(), label, answer, userText, promptTokens, fault - f.hang()));
  }

  private void respond(HttpServerResponse resp, String label, JsonObject body, String userText, long promptTokens, double fault) {
    if (resp.closed()) return;
    SimulatorOptions.Faults f = options.faults();
    if (fault < f.error500()) {
      done(resp, label, 500, error("The server had an error while processing your request.", "server_error", null));
      return;
    }
    if ((fault -= f.error500()) < f.error503()) {
      done(resp, label, 503, error("The engine is currently overloaded, please try again later.", "server_error", null));
      return;
    }
    fault -= f.error503();
    boolean verification = SimVerifier.isVerification(body);
    if (verification) verificationRequests.incrementAndGet();
    if (verification && options.failVerification()) {
      done(resp, label, 500, error("The server had an error while processing your request.", "server_error", null));
      return;
    }
    List<SimAnswers.CodeLine> lines = SimAnswers.codeLines(userText);
    String field = verification ? "verdicts" : "findings";
    JsonArray items = verification ? SimVerifier.verdicts(userText) : SimAnswers.findings(lines);
    if (options.hostileTitles() && !verification) SimAnswers.hostileTitles(items);
    if (options.varyAnswers() && !verification) {
      synchronized (random) {
        SimAnswers.vary(items, lines, random);
      }
    }
    String finish = "stop";
    String refusal = null;
    String content;
    if (fault < f.truncated()) {
      String full = new JsonObject().put(field, items.add(madeUp(verification, lines))).encode();
      content = full.substring(0, full.length() / 2);
      finish = "length";
    } else if ((fault -= f.truncated()) < f.malformed()) {
      content = "Here are the " + field + ": {\"" + field + "\": [{\"path\": ";
    } else if ((fault -= f.malformed()) < f.refusal()) {
      content = null;
      refusal = "I'm sorry, but I can't help with that request.";
    } else {
      if (fault - f.refusal() < f.madeUp()) items.add(madeUp(verification, lines));
      content = dialect.wrap(new JsonObject().put(field, items).encode());
      // A verification shows lines already reviewed: only reviews count towards "every line answered once".
      if (!verification) lines.forEach(cl -> answeredLines.merge(cl.path() + ":" + cl.line(), 1, Integer::sum));
    }
    long completion = content == null ? 10 : content.length() / 4 + 1;
    String cacheKey = label + "\0" + body.getString("prompt_cache_key", "");
    long cached = body.containsKey("prompt_cache_key") && !cacheKeysSeen.add(cacheKey) ? fixedPrefixChars(body) / 4 : 0;
    totalTokens.addAndGet(promptTokens + completion);
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content).put("refusal", refusal);
    done(resp, label, 200, new JsonObject()
        .put("id", "chatcmpl-sim-" + System.nanoTime())
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", dialect.checksModel() ? body.getString("model") : options.models().get(0))
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).put("finish_reason", finish)))
        .put("usage", new JsonObject()
            .put("prompt_tokens", promptTokens)
            .put("completion_tokens", completion)
            .put("total_tokens", promptTokens + completion)
            .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cached))));
  }

  /** Something the scanner must refuse: a finding it cannot stand behind, or a verdict about a finding it did not ask about. */
  private JsonObject madeUp(boolean verification, List<SimAnswers.CodeLine> lines) {
    synchronized (random) {
      if (verification) {
        return new JsonObject().put("id", "made-up-" + random.nextInt(1000)).put("verdict", "rejected").put("confidence", 10)
            .put("justification", "A verdict about a finding nobody asked about.").put("severity", "info");
      }
      return SimAnswers.madeUp(lines, random);
    }
  }

  private String invalidRequest(JsonObject body, boolean strict) {
    if (!(body.getValue("max_completion_tokens") instanceof Number)) {
      return "max_completion_tokens is required by this simulator.";
    }
    if (!(body.getValue("messages") instanceof JsonArray m) || m.isEmpty()) {
      return "messages must be a non-empty array.";
    }
    if (!strict) return null;
    JsonObject rf = body.getValue("response_format") instanceof JsonObject o ? o : new JsonObject();
    JsonObject js = rf.getValue("json_schema") instanceof JsonObject o ? o : new JsonObject();
    if (!"json_schema".equals(rf.getValue("type")) || !Boolean.TRUE.equals(js.getValue("strict"))
        || !(js.getValue("name") instanceof String) || !(js.getValue("schema") instanceof JsonObject schema)) {
      return "response_format must be a strict json_schema.";
    }
    String problem = StrictSchema.problem(schema);
    return problem == null ? null : "Invalid schema for response_format: " + problem;
  }

  private void rateLimited(HttpServerResponse resp, String label, String model, SimLimiter.Decision d) {
    String unit = "requests".equals(d.kind()) ? "requests per min (RPM)" : "tokens per min (TPM)";
    long limit = "requests".equals(d.kind()) ? d.limitRequests() : d.limitTokens();
    if (options.headerStyle() != SimulatorOptions.HeaderStyle.NONE) {
      resp.putHeader("retry-after", String.valueOf((d.waitMs() + 999) / 1000));
      resp.putHeader("retry-after-ms", String.valueOf(d.waitMs()));
    }
    JsonObject err = error("Rate limit reached for " + model + " in organization org-simulator on " + unit + ": Limit "
        + limit + ". Please try again in " + String.format(Locale.ROOT, "%.3fs", d.waitMs() / 1000.0) + ".", d.kind(), "rate_limit_exceeded");
    reject(resp, label, 429, err);
  }

  private void rateHeaders(HttpServerResponse resp, SimLimiter.Decision d) {
    SimulatorOptions.HeaderStyle style = options.headerStyle();
    if (style == SimulatorOptions.HeaderStyle.NONE) return;
    if (style == SimulatorOptions.HeaderStyle.REMAINING) {
      if (d.limitRequests() > 0) resp.putHeader("x-ratelimit-remaining-requests", String.valueOf(d.remainingRequests()));
      if (d.limitTokens() > 0) resp.putHeader("x-ratelimit-remaining-tokens", String.valueOf(d.remainingTokens()));
      return;
    }
    if (d.limitRequests() > 0) {
      resp.putHeader("x-ratelimit-limit-requests", String.valueOf(d.limitRequests()));
      resp.putHeader("x-ratelimit-remaining-requests", String.valueOf(d.remainingRequests()));
      resp.putHeader("x-ratelimit-reset-requests", reset(d.resetRequestsMs(), style));
    }
    if (d.limitTokens() > 0) {
      resp.putHeader("x-ratelimit-limit-tokens", String.valueOf(d.limitTokens()));
      resp.putHeader("x-ratelimit-remaining-tokens", String.valueOf(d.remainingTokens()));
      resp.putHeader("x-ratelimit-reset-tokens", reset(d.resetTokensMs(), style));
    }
  }

  /** OpenAI writes Go durations ({@code 6m0s}, {@code 1.5s}, {@code 20ms}); LiteLLM whole seconds. */
  static String reset(long ms, SimulatorOptions.HeaderStyle style) {
    if (style == SimulatorOptions.HeaderStyle.INTEGER) return String.valueOf((ms + 999) / 1000);
    if (ms < 1000) return ms + "ms";
    if (ms < 60_000) return trim(ms / 1000.0) + "s";
    return ms / 60_000 + "m" + trim((ms % 60_000) / 1000.0) + "s";
  }

  private static String trim(double seconds) {
    String s = String.format(Locale.ROOT, "%.3f", seconds);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String userMessage(JsonObject body) {
    StringBuilder sb = new StringBuilder();
    if (body.getValue("messages") instanceof JsonArray messages) {
      for (Object o : messages) {
        if (o instanceof JsonObject m && "user".equals(m.getValue("role")) && m.getValue("content") instanceof String c) {
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  private static long promptChars(JsonObject body) {
    long chars = 0;
    for (Object o : body.getJsonArray("messages")) {
      if (o instanceof JsonObject m && m.getValue("content") instanceof String c) chars += c.length();
    }
    return chars;
  }

  /** The part a provider's prompt cache serves on a repeat: the system messages and the schema. */
  private static long fixedPrefixChars(JsonObject body) {
    long chars = body.getValue("response_format") instanceof JsonObject format ? format.encode().length() : 0;
    for (Object o : body.getJsonArray("messages")) {
      if (o instanceof JsonObject m && "system".equals(m.getValue("role")) && m.getValue("content") instanceof String c) {
        chars += c.length();
      }
    }
    return chars;
  }

  private synchronized void enter(String label) {
    int n = inFlight.merge(label, 1, Integer::sum);
    maxConcurrent.merge(label, n, Math::max);
  }

  private synchronized void leave(String label) {
    inFlight.merge(label, -1, Integer::sum);
  }

  /** Ends an admitted request (one counted in flight). */
  private void done(HttpServerResponse resp, String label, int status, JsonObject body) {
    if (resp.closed()) return;
    leave(label);
    resp.closeHandler(null);
    reject(resp, label, status, body);
  }

  /** Answers a request that was never admitted. */
  private void reject(HttpServerResponse resp, String label, int status, JsonObject body) {
    count(label, status);
    json(resp, status, body);
  }

  private void count(String label, int status) {
    lastAnswerAt.set(System.currentTimeMillis());
    statuses.computeIfAbsent(label, l -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
  }

  private static JsonObject error(String message, String type, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).put("param", null).put("code", code));
  }

  private static void json(HttpServerResponse resp, int status, JsonObject body) {
    resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
