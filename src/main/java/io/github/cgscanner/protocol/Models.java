package io.github.cgscanner.protocol;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** The {@code models} lists of the protocol: the models a scan may use ({@code options.models}), empty = any. */
final class Models {
  private Models() {}

  static List<String> fromJson(JsonArray models) {
    List<String> out = new ArrayList<>();
    if (models != null) models.forEach(m -> out.add(String.valueOf(m)));
    return List.copyOf(out);
  }

  static boolean allow(List<String> models, String model) {
    return models.isEmpty() || models.contains(model);
  }

  static JsonArray toJson(List<String> models) {
    return new JsonArray(new ArrayList<>(models));
  }
}
