package io.github.cgscanner.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ModelCatalogTest {
  private static final String KEY = "sk-catalog-test-77665544";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ModelCatalog.class);

  @BeforeEach
  void attach() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logs);
  }

  private static ScannerConfig config(String baseUrl, String model) {
    JsonObject j = ConfigLoader.defaults();
    j.getJsonObject("model").put("baseUrl", baseUrl).put("name", model);
    j.getJsonObject("keys").put("apiKeys", new JsonArray().add(KEY));
    return ScannerConfig.fromJson(j);
  }

  private Future<List<String>> check(Vertx vertx, SimulatorOptions options, String model, boolean closeFirst) {
    ModelSimulator sim = new ModelSimulator(vertx, options);
    return sim.start()
        .compose(p -> closeFirst ? sim.close().map(v -> sim.baseUrl()) : Future.succeededFuture(sim.baseUrl()))
        .compose(url -> ModelCatalog.checkModel(WebClient.create(vertx), config(url, model).model(), config(url, model).keys().apiKeys().get(0)))
        .map(v -> logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  @Test
  void warnsAboutAShutdownDate(Vertx vertx, VertxTestContext ctx) {
    check(vertx, SimulatorOptions.builder().keys(KEY).shutdownDate("2027-01-15").build(), "gpt-5.4-mini", false)
        .onComplete(ctx.succeeding(lines -> ctx.verify(() -> {
          assertEquals(1, lines.size(), lines.toString());
          assertTrue(lines.get(0).contains("2027-01-15"));
          ctx.completeNow();
        })));
  }

  @Test
  void quietWhenTheModelIsListed(Vertx vertx, VertxTestContext ctx) {
    check(vertx, SimulatorOptions.builder().keys(KEY).build(), "gpt-5.4-mini", false)
        .onComplete(ctx.succeeding(lines -> ctx.verify(() -> {
          assertTrue(lines.isEmpty(), lines.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void warnsAboutAnUnlistedModel(Vertx vertx, VertxTestContext ctx) {
    check(vertx, SimulatorOptions.builder().keys(KEY).build(), "gpt-9-imaginary", false)
        .onComplete(ctx.succeeding(lines -> ctx.verify(() -> {
          assertEquals(1, lines.size());
          assertTrue(lines.get(0).contains("not in the provider's models list"));
          ctx.completeNow();
        })));
  }

  @Test
  void oneWarningAndNoFailureWhenUnreachableOrRefused(Vertx vertx, VertxTestContext ctx) {
    check(vertx, SimulatorOptions.builder().keys("another-key").build(), "gpt-5.4-mini", false)
        .compose(refused -> check(vertx, SimulatorOptions.builder().keys(KEY).build(), "gpt-5.4-mini", true))
        .onComplete(ctx.succeeding(lines -> ctx.verify(() -> {
          assertEquals(2, lines.size(), lines.toString());
          assertTrue(lines.get(0).contains("HTTP 401"));
          assertTrue(lines.get(1).startsWith("Could not check model"));
          lines.forEach(l -> assertFalse(l.contains(KEY) || l.contains("7766")));
          ctx.completeNow();
        })));
  }
}
