package io.github.cgscanner.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The fallback shape of a request, for an endpoint that refused the strict one (Structured Outputs
 * with {@code response_format} json_schema, and {@code prompt_cache_key}), as some self-hosted servers
 * do: neither field is sent, the same schema is written at the end of the system message (so it stays
 * in the fixed prefix a prompt cache serves), and the JSON is taken from whatever text surrounds it.
 * The answer is then validated exactly as a strict one.
 */
final class RequestShape {
  static final String SCHEMA_INTRO = "\n\nOutput format: answer with one JSON object and nothing else: no prose, no code fences. "
      + "It must validate against this JSON Schema:\n";

  private RequestShape() {}

  /** The request {@code strict} with its schema in the prompt instead of in {@code response_format}. */
  static JsonObject schemaInPrompt(JsonObject strict) {
    JsonObject body = strict.copy();
    Object format = body.remove("response_format");
    body.remove("prompt_cache_key");
    JsonObject schema = format instanceof JsonObject f && f.getValue("json_schema") instanceof JsonObject js
        && js.getValue("schema") instanceof JsonObject s ? s : null;
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    if (schema == null || messages.isEmpty() || !(messages.getValue(0) instanceof JsonObject system)
        || !"system".equals(system.getValue("role"))) {
      return body;
    }
    system.put("content", system.getString("content", "") + SCHEMA_INTRO + schema.encode());
    return body;
  }

  /**
   * The JSON object of an answer given without Structured Outputs: a model may wrap it in a code fence
   * or a sentence. From the first {@code &#123;} to the last {@code &#125;}; the whole text when there is none.
   */
  static String jsonOf(String content) {
    if (content == null) return null;
    int start = content.indexOf('{');
    int end = content.lastIndexOf('}');
    return start >= 0 && end > start ? content.substring(start, end + 1) : content;
  }
}
