package io.github.cgscanner.rules.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON Web Tokens: three base64url parts whose first decodes to a JSON header naming an algorithm. */
final class Jwts {
  private Jwts() {}

  static final String TYPE = "jwt";

  /** A signed token (JWS: header.payload.signature) or an encrypted one (JWE: five parts, the key may be empty). */
  private static final Pattern JWT = Pattern.compile(
      "(eyJ[A-Za-z0-9_-]{10,2000})\\.(?:eyJ[A-Za-z0-9_-]{10,8000}\\.[A-Za-z0-9_-]{16,2000}"
          + "|[A-Za-z0-9_-]{0,2000}\\.[A-Za-z0-9_-]{10,200}\\.[A-Za-z0-9_-]{10,8000}\\.[A-Za-z0-9_-]{10,200})(?![A-Za-z0-9_.-])");

  static void find(String text, Candidates out) {
    int at = text.indexOf("eyJ");
    if (at < 0) return;
    Matcher m = JWT.matcher(text);
    while (at >= 0) {
      if (at == 0 || !isBase64Url(text.charAt(at - 1))) {
        m.region(at, Math.min(text.length(), at + 12_100));
        if (m.lookingAt() && !Placeholders.isDocumented(m.group()) && headerHasAlg(m.group(1))) {
          out.add(TYPE, m.start(), m.end(), Candidates.STRUCTURED, Confidence.MEDIUM);
          at = text.indexOf("eyJ", m.end());
          continue;
        }
      }
      at = text.indexOf("eyJ", at + 3);
    }
  }

  private static boolean isBase64Url(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static boolean headerHasAlg(String header) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8).trim();
      return json.startsWith("{") && (json.contains("\"alg\"") || json.contains("\"enc\""));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
