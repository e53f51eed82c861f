package io.github.cgscanner.rules.secrets;

/**
 * UUIDs. Many services hand out UUID-shaped API keys and client secrets (Heroku, Azure, Postman…), and
 * CredData counts them as credentials, so one standing alone is masked and reported at low confidence;
 * a UUID named as a secret is judged with its name. Made-up ones (zeros, one digit repeated, 1234…) and
 * the id of a key (which names the key, it is not the key) are left alone.
 */
final class Uuids {
  private Uuids() {}

  static boolean isUuid(CharSequence t, int at) {
    for (int i = 0; i < 36; i++) {
      char c = t.charAt(at + i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') return false;
      } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  static void consider(String t, int at, Candidates out) {
    Shape s = Shape.of(t, at, at + 36);
    if (s.distinct < 8 || s.longestRun >= 4 || sequential(t, at)) return;
    if (namesAKeyId(t, at)) return;
    out.add(Tokens.UUID, at, at + 36, Candidates.SHAPE_ONLY, Confidence.LOW);
  }

  private static boolean sequential(CharSequence t, int at) {
    int steps = 0;
    for (int i = at + 1; i < at + 36; i++) {
      if (t.charAt(i) == t.charAt(i - 1) + 1) steps++;
    }
    return steps >= 12;
  }

  /** {@code key_id: "…"}, {@code KeyId: aws.String("…")}, {@code credentials-id: …} just before the value. */
  private static boolean namesAKeyId(CharSequence t, int at) {
    int from = Math.max(0, at - 40);
    StringBuilder squashed = new StringBuilder();
    for (int i = from; i < at; i++) {
      char c = t.charAt(i);
      if (c == '\n') squashed.setLength(0);
      else if (Character.isLetterOrDigit(c)) squashed.append(Character.toLowerCase(c));
    }
    String s = squashed.substring(Math.max(0, squashed.length() - 16));
    return s.contains("keyid") || s.endsWith("credentialsid") || s.endsWith("clsid");
  }
}
