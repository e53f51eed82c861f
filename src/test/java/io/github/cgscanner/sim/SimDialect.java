package io.github.cgscanner.sim;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a simulated provider demands beyond the OpenAI request body, by {@link SimulatorOptions.Dialect}:
 * its paths, the header that carries the key, its query, and — for a self-hosted server that takes no
 * strict schemas — the request shape. A request in another provider's dialect is counted: a mixed pool
 * must never send one.
 */
final class SimDialect {
  private final SimulatorOptions options;
  private final AtomicLong wrongDialect = new AtomicLong();
  private final AtomicLong refusedShape = new AtomicLong();

  SimDialect(SimulatorOptions options) {
    this.options = options;
  }

  boolean azure() {
    return options.dialect() == SimulatorOptions.Dialect.AZURE;
  }

  /** The path {@code model.baseUrl} ends with. */
  String basePath() {
    return azure() ? "/openai/deployments/" + options.deployment() : "/v1";
  }

  boolean isChat(HttpServerRequest req) {
    return req.method().name().equals("POST") && req.path().equals(basePath() + "/chat/completions");
  }

  /** Azure has no models list on a deployment path. */
  boolean isModels(HttpServerRequest req) {
    return !azure() && req.method().name().equals("GET") && req.path().equals("/v1/models");
  }

  /** A path no provider of this dialect serves (the simulator's own {@code /_sim} aside). */
  void unknownPath() {
    wrongDialect.incrementAndGet();
  }

  /**
   * The key in this dialect's header: {@code api-key} for Azure, {@code Authorization: Bearer}
   * otherwise. A key in the other header is refused as the real service would (null) and counted.
   */
  String key(HttpServerRequest req) {
    String auth = req.getHeader("Authorization");
    String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    String apiKey = req.getHeader("api-key");
    String mine = azure() ? apiKey : bearer;
    if (mine == null && (azure() ? bearer : apiKey) != null) wrongDialect.incrementAndGet();
    return mine;
  }

  /** Null when the query is this dialect's; else the error to answer with (Azure: 404 without its api-version). */
  JsonObject wrongQuery(HttpServerRequest req) {
    String version = req.getParam("api-version");
    boolean right = azure() ? options.apiVersion().equals(version) : version == null;
    if (right) return null;
    wrongDialect.incrementAndGet();
    return azure()
        ? new JsonObject().put("error", new JsonObject().put("code", "404").put("message", "Resource not found"))
        : new JsonObject().put("error", new JsonObject().put("message", "Unrecognized request argument supplied: api-version")
            .put("type", "invalid_request_error").put("param", "api-version").put("code", null));
  }

  /** Azure answers from its deployment whatever model a request names. */
  boolean checksModel() {
    return !azure();
  }

  boolean schemaInPrompt() {
    return options.rejectStrict();
  }

  /**
   * A server without strict schemas (vLLM's and LiteLLM's pydantic wording): null when the request
   * carries neither {@code response_format} nor {@code prompt_cache_key} and its system message holds
   * the schema; else the 400 body.
   */
  JsonObject shapeProblem(JsonObject body) {
    String problem = null;
    String param = null;
    if (body.containsKey("prompt_cache_key")) {
      problem = "1 validation error for ChatCompletionRequest\nprompt_cache_key\n  Extra inputs are not permitted";
      param = "prompt_cache_key";
    } else if (body.containsKey("response_format")) {
      problem = "response_format of type json_schema is not supported by this server";
      param = "response_format";
    } else if (!systemMessage(body).contains("\"findings\"")) {
      problem = "this simulator expects the answer's JSON Schema in the system message";
    }
    if (problem == null) return null;
    if (param != null) refusedShape.incrementAndGet();
    return new JsonObject().put("object", "error").put("message", problem).put("type", "BadRequestError").put("param", param)
        .put("code", 400);
  }

  /** A chatty local model wraps its JSON in a code fence. */
  String wrap(String json) {
    return options.rejectStrict() ? "```json\n" + json + "\n```" : json;
  }

  long wrongDialect() {
    return wrongDialect.get();
  }

  long refusedShape() {
    return refusedShape.get();
  }

  private static String systemMessage(JsonObject body) {
    if (body.getValue("messages") instanceof JsonArray messages && !messages.isEmpty()
        && messages.getValue(0) instanceof JsonObject m && "system".equals(m.getValue("role")) && m.getValue("content") instanceof String c) {
      return c;
    }
    return "";
  }
}
