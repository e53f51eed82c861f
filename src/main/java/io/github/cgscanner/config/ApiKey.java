package io.github.cgscanner.config;

/**
 * One provider API key. The secret is reachable only through {@link #secret()}; everything that
 * prints the object (logs, JSON, records' toString) sees the alias {@code key-N}.
 */
public final class ApiKey {
  private final String alias;
  private final String secret;

  public ApiKey(int index, String secret) {
    this.alias = "key-" + index;
    this.secret = secret;
  }

  public String alias() {
    return alias;
  }

  public String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return alias;
  }
}
