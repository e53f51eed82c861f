package io.github.cgscanner.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The Structured Outputs schema of a verification answer: one verdict per finding asked about. Strict
 * like {@link ReviewSchema}; the 1–10 range of {@code confidence} is checked when the answer is read,
 * as strict mode does not promise to enforce numeric bounds.
 */
public final class VerificationSchema {
  public static final String NAME = "security_verification";
  public static final String[] VERDICTS = {"confirmed", "rejected", "uncertain"};

  private static final JsonObject RESPONSE_FORMAT = new JsonObject()
      .put("type", "json_schema")
      .put("json_schema", new JsonObject().put("name", NAME).put("strict", true).put("schema", build()));

  private VerificationSchema() {}

  public static JsonObject responseFormat() {
    return RESPONSE_FORMAT.copy();
  }

  private static JsonObject build() {
    JsonObject verdict = ReviewSchema.object(new JsonObject()
        .put("id", ReviewSchema.type("string", "the id of the finding, exactly as given"))
        .put("verdict", new JsonObject().put("type", "string").put("enum", new JsonArray(List.of((Object[]) VERDICTS))))
        .put("confidence", ReviewSchema.type("integer", "1 (a guess) to 10 (certain)"))
        .put("justification", ReviewSchema.type("string", "one to three sentences naming the lines that decide it"))
        .put("severity", new JsonObject().put("type", "string")
            .put("enum", new JsonArray(List.of((Object[]) ReviewSchema.SEVERITIES)))
            .put("description", "the severity the finding deserves given the code shown")));
    return ReviewSchema.object(new JsonObject().put("verdicts", new JsonObject().put("type", "array").put("items", verdict)));
  }
}
