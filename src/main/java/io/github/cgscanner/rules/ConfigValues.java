package io.github.cgscanner.rules;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The values a repository's {@code .properties} files give their keys, so that a rule reading
 * {@code props.getProperty("hashAlg", "SHA-256")} judges the algorithm the shipped configuration selects
 * rather than only the fallback. A key set differently by several files has all its values.
 */
public final class ConfigValues {
  public static final ConfigValues NONE = new ConfigValues(Map.of());

  private final Map<String, List<String>> values;

  private ConfigValues(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Whether the local checks read {@code path} as configuration. */
  public static boolean isConfigFile(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".properties");
  }

  /** @param texts the text of each configuration file; one that does not parse is left out */
  public static ConfigValues fromProperties(List<String> texts) {
    Map<String, List<String>> values = new HashMap<>();
    for (String text : texts) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(text));
      } catch (IOException | IllegalArgumentException malformed) {
        continue;
      }
      for (String key : p.stringPropertyNames()) {
        List<String> known = values.computeIfAbsent(key, k -> new ArrayList<>());
        String v = p.getProperty(key).strip();
        if (!known.contains(v)) known.add(v);
      }
    }
    return values.isEmpty() ? NONE : new ConfigValues(Map.copyOf(values));
  }

  /** The values set for {@code key}; empty when no file sets it. */
  List<String> valuesOf(String key) {
    return values.getOrDefault(key, List.of());
  }
}
