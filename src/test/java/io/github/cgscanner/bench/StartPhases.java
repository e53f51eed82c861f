package io.github.cgscanner.bench;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Where a replica's start went, read from its log's timestamps (same machine clock as the bench):
 * the JVM until the first log line, the Hazelcast join, the verticles until the HTTP API listens.
 */
final class StartPhases {
  private StartPhases() {}

  static String of(Replica r) throws IOException {
    if (r.process == null) return "no log";
    String log = r.process.log();
    LocalTime start = LocalTime.ofInstant(Instant.ofEpochMilli(r.startedAt), ZoneId.systemDefault());
    double first = since(start, at(log, "starting worker"));
    double joined = since(start, at(log, "joined with"));
    double http = since(start, at(log, "HTTP API listening"));
    return String.format(Locale.ROOT, "first log line %.1f s, cluster joined %.1f s, HTTP listening %.1f s after the JVM started",
        first, joined, http);
  }

  private static LocalTime at(String log, String marker) {
    for (String line : log.split("\n")) {
      if (line.contains(marker) && line.length() > 12 && line.charAt(2) == ':') return LocalTime.parse(line.substring(0, 12));
    }
    return null;
  }

  private static double since(LocalTime start, LocalTime at) {
    return at == null ? -1 : java.time.Duration.between(start, at).toMillis() / 1000.0;
  }
}
