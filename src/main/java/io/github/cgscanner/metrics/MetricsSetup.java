package io.github.cgscanner.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The Vert.x options every worker starts with, standalone or clustered, so {@code GET /metrics} has a
 * Prometheus registry to scrape. Vert.x's default labels are kept: they carry no event-bus address or
 * request path, so scan ids never become labels.
 */
public final class MetricsSetup {
  private MetricsSetup() {}

  public static VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setEnabled(true));
  }

  /** The registry of this JVM's Vert.x metrics, or null when Vert.x was started without them. */
  static MeterRegistry registry() {
    return BackendRegistries.getDefaultNow();
  }

  /** The Prometheus text exposition of every series, each labelled with {@code worker}; null without metrics. */
  public static String scrape(String worker) {
    return registry() instanceof PrometheusMeterRegistry prometheus ? WorkerLabel.addTo(prometheus.scrape(), worker) : null;
  }
}
