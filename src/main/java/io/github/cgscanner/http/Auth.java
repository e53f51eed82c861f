package io.github.cgscanner.http;

import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Bearer tokens. A scan belongs to the token that submitted it, recorded as a hash (the token itself is
 * never stored); admin tokens see every scan. Comparison is constant-time over fixed-size digests.
 */
final class Auth {
  static final String CALLER = "caller";

  record Caller(String owner, boolean admin) {}

  private final List<byte[]> tokens;
  private final List<byte[]> adminTokens;

  Auth(ScannerConfig.Auth config) {
    tokens = config.tokens().stream().map(Auth::digest).toList();
    adminTokens = config.adminTokens().stream().map(Auth::digest).toList();
  }

  boolean enabled() {
    return !tokens.isEmpty() || !adminTokens.isEmpty();
  }

  void handle(RoutingContext ctx) {
    if (!enabled()) {
      ctx.put(CALLER, new Caller(null, true));
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      unauthorized(ctx);
      return;
    }
    byte[] presented = digest(header.substring(7).trim());
    boolean admin = matches(adminTokens, presented);
    if (!admin && !matches(tokens, presented)) {
      unauthorized(ctx);
      return;
    }
    ctx.put(CALLER, new Caller(HexFormat.of().formatHex(presented), admin));
    ctx.next();
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ApiErrors.send(ctx, 401, "unauthorized", "a valid bearer token is required");
  }

  /** Checks every candidate whatever the outcome, so timing says nothing about which token matched. */
  private static boolean matches(List<byte[]> candidates, byte[] presented) {
    boolean found = false;
    for (byte[] c : candidates) found |= MessageDigest.isEqual(c, presented);
    return found;
  }

  static boolean canSee(Caller caller, JsonObject internalScan) {
    return caller.admin() || (caller.owner() != null && caller.owner().equals(internalScan.getString("owner")));
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
