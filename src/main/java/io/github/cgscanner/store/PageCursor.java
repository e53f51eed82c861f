package io.github.cgscanner.store;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page cursors: where a page ended and which list it belongs to (its kind and filters), signed
 * with the store's shared secret (HMAC-SHA256) so that a client can neither forge a position nor reuse a
 * cursor with other filters. A cursor grants nothing: every page is filtered by the caller's visibility.
 */
public final class PageCursor {
  /** A cursor that was not made by us for this list. */
  public static final class Invalid extends RuntimeException {
    Invalid() {
      super("the cursor is not valid for this list", null, false, false);
    }
  }

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private PageCursor() {}

  /** @param list what the cursor is for, with its filters, e.g. {@code scans|project=a|status=} */
  public static String sign(byte[] key, String list, JsonObject position) {
    byte[] body = new JsonObject().put("l", list).put("p", position).encode().getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(key, body));
  }

  /** @throws Invalid when the cursor was altered, made for another list, or is not a cursor at all */
  public static JsonObject verify(byte[] key, String list, String cursor) {
    int dot = cursor.indexOf('.');
    if (dot <= 0 || cursor.length() > 2048) throw new Invalid();
    try {
      byte[] body = DECODER.decode(cursor.substring(0, dot));
      byte[] signature = DECODER.decode(cursor.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, mac(key, body))) throw new Invalid();
      JsonObject j = new JsonObject(new String(body, StandardCharsets.UTF_8));
      if (!list.equals(j.getString("l")) || j.getJsonObject("p") == null) throw new Invalid();
      return j.getJsonObject("p");
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new Invalid();
    }
  }

  private static byte[] mac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
