package io.github.cgscanner.config;

/** A configuration problem, reported to the user as one line (exit code 2). */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
