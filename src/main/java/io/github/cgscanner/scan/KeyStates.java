package io.github.cgscanner.scan;

import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.protocol.KeyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The latest state each key of this worker announced: whether the model review of a scan can go on. */
final class KeyStates {
  /** Each configured key's model, by alias. */
  private final Map<String, String> models;
  private final Map<String, KeyState> latest = new HashMap<>();

  KeyStates(Map<String, String> modelByAlias) {
    this.models = Map.copyOf(modelByAlias);
  }

  void update(KeyState state) {
    latest.put(state.key(), state);
  }

  /**
   * Null while some key a scan of {@code allowed} models (any, when empty) may use can be used (keys
   * that have not spoken yet count as usable: they are starting); otherwise why none can:
   * {@code model_unavailable} when every such key's endpoint refused the model or the request shape,
   * else {@code no_usable_key}.
   */
  FailureCode unusable(List<String> allowed) {
    List<String> eligible = new ArrayList<>();
    models.forEach((alias, model) -> {
      if (allowed.isEmpty() || allowed.contains(model)) eligible.add(alias);
    });
    if (eligible.isEmpty()) return FailureCode.NO_USABLE_KEY;
    List<KeyState> states = eligible.stream().map(latest::get).toList();
    if (states.stream().anyMatch(s -> s == null || !s.disabled())) return null;
    boolean model = states.stream().allMatch(s -> KeyState.MODEL_UNAVAILABLE.equals(s.disabledReason()));
    return model ? FailureCode.MODEL_UNAVAILABLE : FailureCode.NO_USABLE_KEY;
  }

  static String message(FailureCode code) {
    return code == FailureCode.MODEL_UNAVAILABLE
        ? "every API key's endpoint refused the model or the request (unknown model, 404, or 400 on the request shape)"
        : "no API key of this worker can be used (all refused by the provider)";
  }
}
