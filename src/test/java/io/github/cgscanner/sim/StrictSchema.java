package io.github.cgscanner.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The Structured Outputs strictness rules, as the provider enforces them. */
public final class StrictSchema {
  private StrictSchema() {}

  /** Null when {@code schema} is strict, else what is wrong and where. */
  public static String problem(JsonObject schema) {
    return problem(schema, "$");
  }

  private static String problem(Object node, String where) {
    if (node instanceof JsonArray arr) {
      for (int i = 0; i < arr.size(); i++) {
        String p = problem(arr.getValue(i), where + "[" + i + "]");
        if (p != null) return p;
      }
      return null;
    }
    if (!(node instanceof JsonObject o)) return null;
    Object type = o.getValue("type");
    boolean isObject = "object".equals(type) || (type instanceof JsonArray a && a.contains("object")) || o.containsKey("properties");
    if (isObject) {
      if (!Boolean.FALSE.equals(o.getValue("additionalProperties"))) {
        return where + ": additionalProperties must be false";
      }
      JsonObject props = o.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
      JsonArray required = o.getValue("required") instanceof JsonArray r ? r : new JsonArray();
      for (String name : props.fieldNames()) {
        if (!required.contains(name)) return where + ": property '" + name + "' is not in required";
      }
      for (Map.Entry<String, Object> e : props) {
        String p = problem(e.getValue(), where + ".properties." + e.getKey());
        if (p != null) return p;
      }
    }
    for (String child : new String[] {"items", "anyOf", "$defs", "definitions"}) {
      Object c = o.getValue(child);
      String p = c instanceof JsonObject defs && !child.equals("items") ? definitions(defs, where + "." + child) : problem(c, where + "." + child);
      if (p != null) return p;
    }
    return null;
  }

  private static String definitions(JsonObject defs, String where) {
    for (Map.Entry<String, Object> e : defs) {
      String p = problem(e.getValue(), where + "." + e.getKey());
      if (p != null) return p;
    }
    return null;
  }
}
