package io.github.cgscanner.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One provider API key. The secret is reachable only through {@link #secret()}; everything that
 * prints the object (logs, JSON, records' toString) sees the alias {@code key-N}.
 */
public final class ApiKey {
  /** Keeps the hash of a key apart from any other use of SHA-256 on the same secret. */
  private static final String HASH_DOMAIN = "chatgpt-security-scanner/key/v1:";

  private final String alias;
  private final String secret;
  private final String hash;

  public ApiKey(int index, String secret) {
    this.alias = "key-" + index;
    this.secret = secret;
    this.hash = hashOf(secret);
  }

  /**
   * How workers recognise that they hold the same key without ever showing it: the first 64 bits of
   * SHA-256 over a fixed prefix and the secret, in hex. A provider key has far more entropy than that,
   * so the hash tells nothing about the key.
   */
  public String hash() {
    return hash;
  }

  static String hashOf(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((HASH_DOMAIN + secret).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
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
