package io.github.cgscanner.llm;

import io.github.cgscanner.config.ApiKey;
import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that the configured model is offered and not scheduled for shutdown. Advisory only:
 * the result never fails and readiness never waits for it (the SPEC forbids provider calls for readiness).
 */
public final class ModelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  private ModelCatalog() {}

  public static Future<Void> checkModel(WebClient client, ScannerConfig.Model model, ApiKey key) {
    return ChatClient.authorise(client.getAbs(model.baseUrl() + "/models"), model.authStyle(), key)
        .timeout(Math.min(model.requestTimeout().toMillis(), 30_000))
        .send()
        .map(response -> {
          warnings(response, model.name());
          return (Void) null;
        })
        .recover(t -> {
          LOG.warn("Could not check model {} against {}/models ({})", model.name(), model.baseUrl(), t.getClass().getSimpleName());
          return Future.succeededFuture();
        });
  }

  private static void warnings(HttpResponse<Buffer> response, String name) {
    if (response.statusCode() != 200) {
      LOG.warn("Could not check model {}: the models list answered HTTP {}", name, response.statusCode());
      return;
    }
    JsonArray data;
    try {
      data = response.bodyAsJsonObject().getJsonArray("data", new JsonArray());
    } catch (RuntimeException e) {
      LOG.warn("Could not check model {}: the models list is not the expected JSON", name);
      return;
    }
    for (Object o : data) {
      if (o instanceof JsonObject m && name.equals(m.getValue("id"))) {
        Object shutdown = m.getValue("shutdown_date");
        if (shutdown != null) {
          LOG.warn("Model {} is scheduled for shutdown on {}: choose a successor (OPENAI_MODEL)", name, shutdown);
        }
        return;
      }
    }
    LOG.warn("Model {} is not in the provider's models list; requests may fail", name);
  }
}
