package io.github.cgscanner.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The Structured Outputs schema of a review answer. Strict mode demands that every object forbids
 * additional properties and lists all of its properties as required; optional values are unions with
 * null. It never varies within a prompt version, so the provider's prompt cache covers it.
 */
public final class ReviewSchema {
  public static final String NAME = "security_review";
  public static final String[] SEVERITIES = {"critical", "high", "medium", "low", "info"};
  public static final String[] CONFIDENCES = {"high", "medium", "low"};

  private static final JsonObject SCHEMA = build();

  private ReviewSchema() {}

  public static JsonObject schema() {
    return SCHEMA.copy();
  }

  /** The {@code response_format} value of a request. */
  public static JsonObject responseFormat() {
    return new JsonObject()
        .put("type", "json_schema")
        .put("json_schema", new JsonObject().put("name", NAME).put("strict", true).put("schema", schema()));
  }

  private static JsonObject build() {
    JsonObject finding = object(new JsonObject()
        .put("path", type("string", "the file path exactly as in the FILE header"))
        .put("startLine", type("integer", "first flagged line number, as numbered in the prompt"))
        .put("endLine", type("integer", "last flagged line number, as numbered in the prompt"))
        .put("cwe", new JsonObject().put("type", new JsonArray().add("string").add("null"))
            .put("description", "CWE id such as CWE-89, or null when none fits"))
        .put("severity", new JsonObject().put("type", "string").put("enum", new JsonArray(List.of((Object[]) SEVERITIES))))
        .put("confidence", new JsonObject().put("type", "string").put("enum", new JsonArray(List.of((Object[]) CONFIDENCES))))
        .put("title", type("string", "short name of the issue"))
        .put("description", type("string", "why this code is exploitable"))
        .put("recommendation", type("string", "how to fix it"))
        .put("evidence", type("string", "the flagged code copied verbatim from the prompt, without line numbers")));
    return object(new JsonObject().put("findings", new JsonObject().put("type", "array").put("items", finding)));
  }

  static JsonObject type(String type, String description) {
    return new JsonObject().put("type", type).put("description", description);
  }

  /** A strict object: every property required, nothing else allowed (what strict json_schema demands). */
  static JsonObject object(JsonObject properties) {
    return new JsonObject()
        .put("type", "object")
        .put("properties", properties)
        .put("required", new JsonArray(new ArrayList<>(properties.fieldNames())))
        .put("additionalProperties", false);
  }
}
