package io.github.cgscanner.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subset of JSON Schema draft-07 the SARIF 2.1.0 schema uses. Any other keyword is refused rather
 * than ignored, so a schema this class cannot fully check makes the test fail instead of passing.
 * {@code format} is not asserted (draft-07 makes it optional); annotations are skipped.
 */
final class JsonSchemaValidator {
  private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description", "default", "format", "definitions");
  private static final Set<String> ASSERTIONS = Set.of("type", "properties", "required", "additionalProperties", "enum",
      "items", "minItems", "uniqueItems", "$ref", "minimum", "maximum", "pattern", "anyOf", "oneOf");

  private final JsonObject root;

  JsonSchemaValidator(JsonObject root) {
    this.root = root;
  }

  /** Every violation, each as "json-pointer: problem"; empty when {@code instance} is valid. */
  List<String> validate(Object instance) {
    List<String> errors = new ArrayList<>();
    check(root, instance, "", errors);
    return errors;
  }

  private void check(JsonObject schema, Object value, String at, List<String> errors) {
    for (String keyword : schema.fieldNames()) {
      if (!ANNOTATIONS.contains(keyword) && !ASSERTIONS.contains(keyword)) {
        throw new IllegalStateException("unsupported schema keyword '" + keyword + "' at " + at);
      }
    }
    if (schema.containsKey("$ref")) check(resolve(schema.getString("$ref")), value, at, errors);
    if (schema.containsKey("type") && !hasType(value, schema.getValue("type"))) {
      errors.add(at + ": expected " + schema.getValue("type") + " but was " + describe(value));
      return;
    }
    if (schema.containsKey("enum") && !schema.getJsonArray("enum").contains(value)) {
      errors.add(at + ": " + describe(value) + " not in " + schema.getJsonArray("enum"));
    }
    if (value instanceof Number n) {
      if (schema.containsKey("minimum") && n.doubleValue() < schema.getNumber("minimum").doubleValue()) {
        errors.add(at + ": " + n + " below minimum " + schema.getNumber("minimum"));
      }
      if (schema.containsKey("maximum") && n.doubleValue() > schema.getNumber("maximum").doubleValue()) {
        errors.add(at + ": " + n + " above maximum " + schema.getNumber("maximum"));
      }
    }
    if (value instanceof String s && schema.containsKey("pattern")
        && !Pattern.compile(schema.getString("pattern")).matcher(s).find()) {
      errors.add(at + ": '" + s + "' does not match " + schema.getString("pattern"));
    }
    if (value instanceof JsonObject object) checkObject(schema, object, at, errors);
    if (value instanceof JsonArray array) checkArray(schema, array, at, errors);
    if (schema.containsKey("anyOf")) {
      long passing = passingAlternatives(schema.getJsonArray("anyOf"), value, at);
      if (passing == 0) errors.add(at + ": matches none of anyOf");
    }
    if (schema.containsKey("oneOf")) {
      long passing = passingAlternatives(schema.getJsonArray("oneOf"), value, at);
      if (passing != 1) errors.add(at + ": matches " + passing + " of oneOf, expected exactly 1");
    }
  }

  private void checkObject(JsonObject schema, JsonObject object, String at, List<String> errors) {
    if (schema.containsKey("required")) {
      for (Object name : schema.getJsonArray("required")) {
        if (!object.containsKey((String) name)) errors.add(at + ": missing required '" + name + "'");
      }
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Object additional = schema.getValue("additionalProperties");
    for (Map.Entry<String, Object> entry : object) {
      String child = at + "/" + entry.getKey();
      if (properties.containsKey(entry.getKey())) {
        check(properties.getJsonObject(entry.getKey()), entry.getValue(), child, errors);
      } else if (Boolean.FALSE.equals(additional)) {
        errors.add(at + ": property '" + entry.getKey() + "' is not allowed");
      } else if (additional instanceof JsonObject additionalSchema) {
        check(additionalSchema, entry.getValue(), child, errors);
      }
    }
  }

  private void checkArray(JsonObject schema, JsonArray array, String at, List<String> errors) {
    if (schema.containsKey("minItems") && array.size() < schema.getInteger("minItems")) {
      errors.add(at + ": fewer than " + schema.getInteger("minItems") + " items");
    }
    if (Boolean.TRUE.equals(schema.getBoolean("uniqueItems"))) {
      Set<Object> seen = new HashSet<>();
      for (Object item : array) if (!seen.add(item)) errors.add(at + ": duplicate item " + describe(item));
    }
    if (schema.getValue("items") instanceof JsonObject itemSchema) {
      for (int i = 0; i < array.size(); i++) check(itemSchema, array.getValue(i), at + "/" + i, errors);
    }
  }

  private long passingAlternatives(JsonArray alternatives, Object value, String at) {
    long passing = 0;
    for (Object alternative : alternatives) {
      List<String> sub = new ArrayList<>();
      check((JsonObject) alternative, value, at, sub);
      if (sub.isEmpty()) passing++;
    }
    return passing;
  }

  private JsonObject resolve(String ref) {
    if (!ref.startsWith("#/definitions/")) throw new IllegalStateException("unsupported $ref " + ref);
    JsonObject target = root.getJsonObject("definitions").getJsonObject(ref.substring("#/definitions/".length()));
    if (target == null) throw new IllegalStateException("dangling $ref " + ref);
    return target;
  }

  private static boolean hasType(Object value, Object type) {
    if (type instanceof JsonArray types) return types.stream().anyMatch(t -> hasType(value, t));
    return switch ((String) type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Integer || value instanceof Long
          || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()));
      default -> throw new IllegalStateException("unknown type " + type);
    };
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
  }
}
