package io.github.cgscanner.llm;

import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one Chat Completions request with one key, in its provider's dialect (its auth header, its
 * {@code api-version}), and classifies the answer. Never fails its future.
 */
public final class ChatClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

  private final WebClient client;
  private final ScannerConfig.Model model;
  private final ApiKey key;
  private final String url;

  public ChatClient(WebClient client, ScannerConfig.Model model, ApiKey key) {
    this.client = client;
    this.model = model;
    this.key = key;
    this.url = url(model, "/chat/completions");
  }

  /** {@code baseUrl + path}, with {@code ?api-version=} when the provider has one (Azure OpenAI). */
  public static String url(ScannerConfig.Model model, String path) {
    return model.baseUrl() + path + (model.apiVersion().isEmpty() ? "" : "?api-version=" + model.apiVersion());
  }

  /** Adds the key in the header the provider expects ({@code model.authStyle}). */
  public static <T> HttpRequest<T> authorise(HttpRequest<T> request, String authStyle, ApiKey key) {
    return "api-key".equals(authStyle)
        ? request.putHeader("api-key", key.secret())
        : request.putHeader("Authorization", "Bearer " + key.secret());
  }

  public Future<ChatOutcome> send(Buffer body) {
    long timeout = model.requestTimeout().toMillis();
    HttpRequest<Buffer> request = authorise(client.postAbs(url), model.authStyle(), key)
        .putHeader("Content-Type", "application/json")
        .connectTimeout(Math.min(timeout, 30_000))
        .idleTimeout(timeout);
    return request.sendBuffer(body).map(this::classify).recover(this::failure);
  }

  private Future<ChatOutcome> failure(Throwable t) {
    boolean timeout = t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout");
    LOG.debug("{}: no answer from the model endpoint ({})", key.alias(), t.getClass().getSimpleName());
    return Future.succeededFuture(timeout
        ? ChatOutcome.noResponse(ChatOutcome.Kind.TIMEOUT, "the model endpoint did not answer in time")
        : ChatOutcome.noResponse(ChatOutcome.Kind.CONNECTION, "could not reach the model endpoint"));
  }

  ChatOutcome classify(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = json(response.body());
    JsonObject error = errorOf(body);
    String code = String.valueOf(error.getValue("code")) + " " + error.getValue("type");
    String errorMessage = error.getValue("message") instanceof String s ? s : null;
    RateLimitHeaders limits = RateLimitHeaders.parse(response.headers()::get, errorMessage, System.currentTimeMillis());
    if (status >= 200 && status < 300) {
      return ok(status, body, limits);
    }
    LOG.debug("{}: model endpoint answered HTTP {}", key.alias(), status);
    if (status == 429 && code.contains("insufficient_quota")) {
      return failed(ChatOutcome.Kind.QUOTA, status, limits, "the key has no quota left");
    }
    if (status == 429) {
      return failed(ChatOutcome.Kind.RATE_LIMITED, status, limits, "rate limited by the model endpoint");
    }
    if (status == 401 || status == 403) {
      return failed(ChatOutcome.Kind.UNAUTHORIZED, status, limits, "the model endpoint refused the key");
    }
    if (status == 408) {
      return failed(ChatOutcome.Kind.TIMEOUT, status, limits, "the model endpoint timed out");
    }
    if (status >= 500 || status == 409 || status == 425) {
      return failed(ChatOutcome.Kind.SERVER_ERROR, status, limits, "the model endpoint failed (HTTP " + status + ")");
    }
    if (status == 404 || aboutModel(error, errorMessage)) {
      return failed(ChatOutcome.Kind.MODEL_UNAVAILABLE, status, limits, "the model endpoint refused the model (HTTP " + status + ")");
    }
    if (aboutShape(error, errorMessage)) {
      return failed(ChatOutcome.Kind.UNSUPPORTED_REQUEST, status, limits,
          "the model endpoint refused the request shape (HTTP " + status + ")");
    }
    return failed(ChatOutcome.Kind.BAD_REQUEST, status, limits, "the model endpoint rejected the request (HTTP " + status + ")");
  }

  /**
   * The error of an answer: OpenAI nests an object under {@code error}, Ollama puts a string there, and
   * older vLLM sends the error's fields at the top level.
   */
  static JsonObject errorOf(JsonObject body) {
    Object e = body.getValue("error");
    if (e instanceof JsonObject o) return o;
    if (e instanceof String s) return new JsonObject().put("message", s);
    return body.getValue("message") instanceof String ? body : new JsonObject();
  }

  /** A 4xx about the model rather than about this chunk's content. */
  static boolean aboutModel(JsonObject error, String message) {
    String code = String.valueOf(error.getValue("code"));
    if (code.contains("model_not_found") || code.contains("invalid_model") || "model".equals(error.getValue("param"))) return true;
    return lower(message).contains("does not exist");
  }

  /**
   * A 4xx about structured outputs or a field the endpoint does not take (OpenAI's wording, and that of
   * the servers built on pydantic: vLLM, LiteLLM) rather than about this chunk's content.
   */
  static boolean aboutShape(JsonObject error, String message) {
    String param = String.valueOf(error.getValue("param"));
    if ("unsupported_parameter".equals(error.getValue("code")) || param.startsWith("response_format") || param.equals("prompt_cache_key")) {
      return true;
    }
    String m = lower(message);
    return m.contains("response_format") || m.contains("json_schema") || m.contains("prompt_cache_key")
        || m.contains("extra inputs are not permitted") || m.contains("unrecognized request argument") || m.contains("unknown field");
  }

  private static String lower(String message) {
    return message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
  }

  private static ChatOutcome ok(int status, JsonObject body, RateLimitHeaders limits) {
    JsonObject choice = body.getValue("choices") instanceof JsonArray a && !a.isEmpty()
        && a.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonObject usage = body.getValue("usage") instanceof JsonObject u ? u : new JsonObject();
    JsonObject details = usage.getValue("prompt_tokens_details") instanceof JsonObject d ? d : new JsonObject();
    return new ChatOutcome(ChatOutcome.Kind.OK, status,
        message.getValue("content") instanceof String s ? s : null,
        message.getValue("refusal") instanceof String r ? r : null,
        choice.getValue("finish_reason") instanceof String f ? f : null,
        number(usage, "prompt_tokens"), number(usage, "completion_tokens"), number(details, "cached_tokens"),
        limits, null);
  }

  private static ChatOutcome failed(ChatOutcome.Kind kind, int status, RateLimitHeaders limits, String message) {
    return new ChatOutcome(kind, status, null, null, null, 0, 0, 0, limits, message);
  }

  private static long number(JsonObject o, String field) {
    return o.getValue(field) instanceof Number n ? n.longValue() : 0;
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) return new JsonObject();
    try {
      Object parsed = Json.decodeValue(body);
      return parsed instanceof JsonObject o ? o : new JsonObject();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }
}
