package io.github.cgscanner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkerLabelTest {
  @Test
  void everySampleGetsTheWorkerOnceAndCommentsStayAsTheyAre() {
    String in = """
        # HELP vertx_http_server_requests_total Number of processed requests
        # TYPE vertx_http_server_requests_total counter
        vertx_http_server_requests_total{code="200",method="GET",route=""} 3.0
        vertx_eventbus_handlers 12.0
        vertx_pool_ratio{} 0.5
        scanner_scans_running{worker="n-1"} 1.0
        scanner_key_state{key="key-0",worker="n-1",state="healthy"} 1.0
        vertx_http_server_response_time_seconds_bucket{code="200",le="0.005"} 2 1700000000000
        """;
    String out = WorkerLabel.addTo(in, "n-1");
    assertEquals("""
        # HELP vertx_http_server_requests_total Number of processed requests
        # TYPE vertx_http_server_requests_total counter
        vertx_http_server_requests_total{worker="n-1",code="200",method="GET",route=""} 3.0
        vertx_eventbus_handlers{worker="n-1"} 12.0
        vertx_pool_ratio{worker="n-1"} 0.5
        scanner_scans_running{worker="n-1"} 1.0
        scanner_key_state{key="key-0",worker="n-1",state="healthy"} 1.0
        vertx_http_server_response_time_seconds_bucket{worker="n-1",code="200",le="0.005"} 2 1700000000000
        """, out);
  }

  @Test
  void aLabelValueIsEscaped() {
    assertEquals("m{worker=\"a\\\"b\"} 1\n", WorkerLabel.addTo("m 1\n", "a\"b"));
  }
}
