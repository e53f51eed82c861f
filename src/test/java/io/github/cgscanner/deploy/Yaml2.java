package io.github.cgscanner.deploy;

import java.util.List;
import java.util.Map;

/** Walks parsed YAML (maps and lists) by dotted paths; a missing step is a clear assertion failure. */
final class Yaml2 {
  private Yaml2() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) throw new AssertionError("not a mapping: " + node);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) throw new AssertionError("not a list: " + node);
    return (List<Object>) node;
  }

  /** The node at {@code path} ("spec.template.spec"), or null when a step is missing. */
  static Object at(Object node, String path) {
    Object current = node;
    for (String step : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> m)) return null;
      current = m.get(step);
    }
    return current;
  }

  static Map<String, Object> mapAt(Object node, String path) {
    Object found = at(node, path);
    if (found == null) throw new AssertionError("nothing at " + path);
    return map(found);
  }

  static List<Object> listAt(Object node, String path) {
    Object found = at(node, path);
    if (found == null) throw new AssertionError("nothing at " + path);
    return list(found);
  }

  /** The element of a list of mappings whose {@code key} is {@code value}, e.g. an env entry by name. */
  static Map<String, Object> named(List<Object> items, String key, Object value) {
    return items.stream().map(Yaml2::map).filter(m -> value.equals(m.get(key))).findFirst()
        .orElseThrow(() -> new AssertionError("no element with " + key + "=" + value + " in " + items));
  }
}
