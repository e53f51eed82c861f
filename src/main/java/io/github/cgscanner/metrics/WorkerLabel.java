package io.github.cgscanner.metrics;

/**
 * Gives every sample of a Prometheus text exposition a {@code worker} label, as the {@code scanner_*}
 * series carry one from the start. Vert.x registers its own meters before the cluster is joined, when
 * the node id (the label's value) does not exist yet, and a Prometheus registry wants one label set per
 * name from the first meter on: so the label is added to those samples when they are scraped.
 */
public final class WorkerLabel {
  private WorkerLabel() {}

  public static String addTo(String exposition, String worker) {
    String label = "worker=\"" + escape(worker) + "\"";
    StringBuilder out = new StringBuilder(exposition.length() + 64);
    exposition.lines().forEach(line -> out.append(labelled(line, label)).append('\n'));
    return out.toString();
  }

  private static String labelled(String line, String label) {
    if (line.isEmpty() || line.startsWith("#")) return line;
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) return line;
    if (brace >= 0 && brace < space) {
      int close = line.indexOf('}', brace);
      boolean labelled = close > 0 && line.substring(brace, close).matches(".*[{,]worker=\".*");
      if (labelled) return line;
      boolean empty = close == brace + 1;
      return line.substring(0, brace + 1) + label + (empty ? "" : ",") + line.substring(brace + 1);
    }
    return line.substring(0, space) + "{" + label + "}" + line.substring(space);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
