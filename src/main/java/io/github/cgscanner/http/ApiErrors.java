package io.github.cgscanner.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The SPEC's error shape, always in our own words. */
final class ApiErrors {
  private ApiErrors() {}

  static JsonObject body(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  static void send(RoutingContext ctx, int status, String code, String message) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      if (!response.ended()) response.end();
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body(code, message).encode());
  }

  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 503 -> "unavailable";
      default -> "internal_error";
    };
  }
}
