package io.github.cgscanner.scan;

import io.github.cgscanner.domain.FailureCode;
import io.github.cgscanner.protocol.KeyState;
import java.util.HashMap;
import java.util.Map;

/** The latest state each key of this worker announced: whether the model review can go on. */
final class KeyStates {
  private final int configuredKeys;
  private final Map<String, KeyState> latest = new HashMap<>();

  KeyStates(int configuredKeys) {
    this.configuredKeys = configuredKeys;
  }

  void update(KeyState state) {
    latest.put(state.key(), state);
  }

  /**
   * Null while some key can be used (keys that have not spoken yet count as usable: they are starting);
   * otherwise why none can: {@code model_unavailable} when every key's endpoint refused the model or the
   * request shape, else {@code no_usable_key}.
   */
  FailureCode unusable() {
    if (configuredKeys == 0) return FailureCode.NO_USABLE_KEY;
    long disabled = latest.values().stream().filter(KeyState::disabled).count();
    if (disabled < configuredKeys) return null;
    boolean model = latest.values().stream().allMatch(s -> KeyState.MODEL_UNAVAILABLE.equals(s.disabledReason()));
    return model ? FailureCode.MODEL_UNAVAILABLE : FailureCode.NO_USABLE_KEY;
  }

  static String message(FailureCode code) {
    return code == FailureCode.MODEL_UNAVAILABLE
        ? "every API key's endpoint refused the model or the request (unknown model, 404, or 400 on the request shape)"
        : "no API key of this worker can be used (all refused by the provider)";
  }
}
