package io.github.cgscanner.rules.secrets;

import java.util.Locale;

/** How sure the detector is that a match is a live credential, as reported in the finding. */
public enum Confidence {
  HIGH, MEDIUM, LOW;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One step down: the same value in a test fixture, an example or documentation. */
  Confidence lower() {
    return this == HIGH ? MEDIUM : LOW;
  }
}
