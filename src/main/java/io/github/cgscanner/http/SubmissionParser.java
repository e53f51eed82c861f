package io.github.cgscanner.http;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.domain.ScanOptions;
import io.github.cgscanner.source.SourceSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads a JSON submission: the body (up to 16 MiB of inline files), its options and its source, with
 * every check that needs no network. Runs on the blocking pool: parsing and checking a large body takes
 * long enough to stall an event loop.
 */
class SubmissionParser {
  record Submission(SourceSpec source, ScanOptions options) {}

  /** Thrown with a message fit for a 400 answer; {@code code} is the SPEC's error code. */
  static final class Invalid extends RuntimeException {
    final String code;

    Invalid(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final ScannerConfig.Sources policy;

  SubmissionParser(ScannerConfig.Sources policy) {
    this.policy = policy;
  }

  Submission parse(Buffer body) {
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new Invalid("invalid_request", "the body is not a JSON object");
    }
    if (json == null || !(json.getValue("source") instanceof JsonObject source)) {
      throw new Invalid("invalid_request", "the body needs a \"source\" object");
    }
    for (String field : json.fieldNames()) {
      if (!field.equals("source") && !field.equals("options")) throw new Invalid("invalid_request", "unknown field '" + field + "'");
    }
    if (json.getValue("options") != null && !(json.getValue("options") instanceof JsonObject)) {
      throw new Invalid("invalid_request", "\"options\" must be an object");
    }
    try {
      ScanOptions options = ScanOptions.fromJson(json.getJsonObject("options"));
      return new Submission(SourceSpec.parseSubmitted(source, policy), options);
    } catch (io.github.cgscanner.source.SourceRejected e) {
      throw new Invalid(e.code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Invalid("invalid_request", e.getMessage());
    }
  }
}
