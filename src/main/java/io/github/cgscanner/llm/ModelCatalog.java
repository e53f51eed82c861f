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
 * Checks at start that a provider offers its model and has not scheduled it for shutdown, once per
 * distinct endpoint and model of the pool. Advisory only: the result never fails and readiness never
 * waits for it (the SPEC forbids provider calls for readiness). An Azure OpenAI deployment URL has no
 * models list: it is not asked.
 */
public final class ModelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  private ModelCatalog() {}

  public static Future<Void> checkModel(WebClient client, ScannerConfig.Model model, ApiKey key) {
    if (model.azureDeployment()) {
      LOG.info("{}: model {} on {} not checked: an Azure OpenAI deployment URL has no models list", key.alias(), model.name(),
          model.host());
      return Future.succeededFuture();
    }
    return ChatClient.authorise(client.getAbs(ChatClient.url(model, "/models")), model.authStyle(), key)
        .timeout(Math.min(model.requestTimeout().toMillis(), 30_000))
        .send()
        .map(response -> {
          warnings(response, model);
          return (Void) null;
        })
        .recover(t -> {
          LOG.warn("Could not check model {} against the models list of {} ({})", model.name(), model.host(), t.getClass().getSimpleName());
          return Future.succeededFuture();
        });
  }

  private static void warnings(HttpResponse<Buffer> response, ScannerConfig.Model model) {
    String name = model.name();
    if (response.statusCode() != 200) {
      LOG.warn("Could not check model {}: the models list of {} answered HTTP {}", name, model.host(), response.statusCode());
      return;
    }
    JsonArray data;
    try {
      data = response.bodyAsJsonObject().getJsonArray("data", new JsonArray());
    } catch (RuntimeException e) {
      LOG.warn("Could not check model {}: the models list of {} is not the expected JSON", name, model.host());
      return;
    }
    for (Object o : data) {
      if (o instanceof JsonObject m && name.equals(m.getValue("id"))) {
        Object shutdown = m.getValue("shutdown_date");
        if (shutdown != null) {
          LOG.warn("Model {} is scheduled for shutdown on {} at {}: choose a successor (OPENAI_MODEL, OPENAI_MODEL_N)", name, shutdown,
              model.host());
        }
        return;
      }
    }
    LOG.warn("Model {} is not in the provider's models list of {}; requests may fail", name, model.host());
  }
}
