package io.github.cgscanner.rules.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private key blocks: PEM and PGP armour, whole (BEGIN to END, also on one line with {@code \n} escapes,
 * as in JSON) or cut short (BEGIN and the base64 lines after it), and PuTTY key files. A block whose body
 * is an ellipsis or a few letters is documentation, not a key.
 */
final class PrivateKeys {
  private PrivateKeys() {}

  static final String TYPE = "private-key";

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----");
  private static final Pattern BASE64_LINE = Pattern.compile("^[\\s\"'+,`]*[A-Za-z0-9+/=]{40,}(?:\\\\n)?[\"',+\\s`]*$");
  private static final int MAX_BLOCK = 20_000;

  static void find(String text, Candidates out) {
    int at = text.indexOf("-----BEGIN ");
    if (at >= 0) pem(text, at, out);
    int putty = text.indexOf("PuTTY-User-Key-File-");
    if (putty >= 0) putty(text, putty, out);
    for (int b = text.indexOf(BASE64_BEGIN); b >= 0; b = text.indexOf(BASE64_BEGIN, b + 1)) b = encoded(text, b, out);
  }

  /** "-----BEGIN" in base64, as in a Kubernetes secret's {@code tls.key}. */
  private static final String BASE64_BEGIN = "LS0tLS1CRUdJTi";

  /** A base64 run that decodes to a private key block; returns where the run ends. */
  private static int encoded(String text, int at, Candidates out) {
    int end = at;
    while (end < text.length() && isBase64(text.charAt(end))) end++;
    int head = Math.min(end - at, 120) / 4 * 4;
    try {
      String decoded = new String(Base64.getDecoder().decode(text.substring(at, at + head)), StandardCharsets.US_ASCII);
      if (decoded.contains("PRIVATE KEY") && end - at >= 200) out.add(TYPE, at, end, Candidates.KEY_BLOCK, Confidence.HIGH);
    } catch (IllegalArgumentException e) {
      return end;
    }
    return end;
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
  }

  private static void pem(String text, int first, Candidates out) {
    Matcher m = BEGIN.matcher(text);
    int from = first;
    while (from < text.length() && m.find(from)) {
      String endMarker = "-----END " + m.group(1) + "PRIVATE KEY" + (m.group(2) == null ? "" : m.group(2)) + "-----";
      int endAt = text.indexOf(endMarker, m.end());
      int end = -1;
      if (endAt >= 0 && endAt - m.end() <= MAX_BLOCK) {
        if (realBody(text, m.end(), endAt)) end = endAt + endMarker.length();
      } else {
        int cut = truncatedEnd(text, m.end());
        if (cut > m.end()) end = cut;
      }
      if (end > 0) {
        out.add(TYPE, m.start(), end, Candidates.KEY_BLOCK, Confidence.HIGH);
        from = end;
      } else {
        from = m.end();
      }
    }
  }

  /** A real key body has plenty of base64; documentation shows "..." or a few letters. */
  private static boolean realBody(String text, int from, int to) {
    String body = text.substring(from, to);
    if (body.contains("...") || body.contains("…") || body.toLowerCase().contains("xxxx") || body.contains("<")) return false;
    int base64 = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '+' || c == '/') base64++;
    }
    return base64 >= 64 && Shape.of(body).entropy >= 4.0;
  }

  private static int truncatedEnd(String text, int after) {
    int lineEnd = text.indexOf('\n', after);
    int end = after;
    while (lineEnd >= 0 && lineEnd + 1 < text.length()) {
      int next = text.indexOf('\n', lineEnd + 1);
      int stop = next < 0 ? text.length() : next;
      if (!BASE64_LINE.matcher(text.substring(lineEnd + 1, stop)).matches()) break;
      end = stop;
      lineEnd = next;
    }
    return end;
  }

  /** A PuTTY .ppk file: the key runs from its header to the end of its Private-MAC line. */
  private static void putty(String text, int at, Candidates out) {
    int lineStart = text.lastIndexOf('\n', at) + 1;
    int mac = text.indexOf("Private-MAC:", at);
    if (mac < 0 || mac - at > MAX_BLOCK || text.indexOf("Private-Lines:", at) < 0) return;
    int end = text.indexOf('\n', mac);
    out.add(TYPE, lineStart, end < 0 ? text.length() : end, Candidates.KEY_BLOCK, Confidence.HIGH);
  }
}
