package io.github.cgscanner.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The official SARIF 2.1.0 schema (test fixture), for tests outside this package that check a report. */
public final class SarifSchema {
  private static final JsonSchemaValidator VALIDATOR = load();

  private SarifSchema() {}

  /** @return the schema violations, empty when the report is valid */
  public static List<String> validate(JsonObject sarif) {
    return VALIDATOR.validate(sarif);
  }

  private static JsonSchemaValidator load() {
    try (InputStream in = SarifSchema.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      return new JsonSchemaValidator(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
