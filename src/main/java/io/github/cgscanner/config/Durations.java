package io.github.cgscanner.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human forms used in configuration: durations ({@code 24h}, {@code 90s}) and sizes ({@code 200 MiB}). */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Durations() {}

  public static Duration parseDuration(String name, String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("p")) {
      try {
        return positive(name, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
      } catch (RuntimeException e) {
        throw new ConfigException(name + ": not a duration: '" + value + "' (use e.g. 90s, 30m, 24h)");
      }
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new ConfigException(name + ": not a duration: '" + value + "' (use e.g. 90s, 30m, 24h)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    return positive(name, value, d);
  }

  private static Duration positive(String name, String value, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(name + ": must be positive: '" + value + "'");
    }
    return d;
  }

  public static long parseSize(String name, String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(name + ": not a size: '" + value + "' (use e.g. 200MiB or 1048576)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long bytes = switch (unit.charAt(0)) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> n;
    };
    if (bytes <= 0) {
      throw new ConfigException(name + ": must be positive: '" + value + "'");
    }
    return bytes;
  }

  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s % 86400 == 0) return s / 86400 + "d";
    if (s % 3600 == 0) return s / 3600 + "h";
    if (s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
