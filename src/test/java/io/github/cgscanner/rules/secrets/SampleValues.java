package io.github.cgscanner.rules.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Random but format-correct values for the generated corpus; seeded, so every run sees the same set. */
public final class SampleValues {
  static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String DIGITS = "0123456789";
  public static final String ALNUM = UPPER + LOWER + DIGITS;
  static final String BASE32 = UPPER + "234567";
  static final String BASE64 = ALNUM + "+/";
  static final String BASE64URL = ALNUM + "-_";
  static final String HEX = "0123456789abcdef";

  final Random rnd;

  public SampleValues(long seed) {
    rnd = new Random(seed);
  }

  String of(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    return b.toString();
  }

  int between(int lo, int hi) {
    return lo + rnd.nextInt(hi - lo + 1);
  }

  <T> T pick(List<T> items) {
    return items.get(rnd.nextInt(items.size()));
  }

  /** Random text over an alphabet that holds at least one upper, one lower and one digit. */
  public String mixed(String alphabet, int n) {
    while (true) {
      String s = of(alphabet, n);
      if (s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase)
          && s.chars().anyMatch(Character::isDigit)) {
        return s;
      }
    }
  }

  public String awsKeyId() {
    return pick(List.of("AKIA", "ASIA")) + of(BASE32, 16);
  }

  String awsSecret() {
    return mixed(BASE64, 40);
  }

  public String githubToken() {
    return pick(List.of("ghp_", "gho_", "ghs_", "ghu_", "ghr_")) + mixed(ALNUM, 36);
  }

  String githubFineGrained() {
    return "github_pat_" + mixed(ALNUM, 22) + "_" + mixed(ALNUM, 59);
  }

  String slackToken() {
    return switch (rnd.nextInt(3)) {
      case 0 -> "xoxb-" + of(DIGITS, 12) + "-" + of(DIGITS, 13) + "-" + mixed(ALNUM, 24);
      case 1 -> "xoxp-" + of(DIGITS, 12) + "-" + of(DIGITS, 12) + "-" + of(DIGITS, 13) + "-" + of(HEX, 32);
      default -> pick(List.of("xoxa-", "xoxr-", "xoxs-", "xoxo-")) + "2-" + of(DIGITS, 12) + "-" + mixed(ALNUM, 40);
    };
  }

  String stripeLive() {
    return pick(List.of("sk_live_", "rk_live_")) + mixed(ALNUM, pick(List.of(24, 34, 99)));
  }

  String googleApiKey() {
    return "AIzaSy" + mixed(BASE64URL, 33);
  }

  String openAiKey() {
    return switch (rnd.nextInt(3)) {
      case 0 -> "sk-proj-" + mixed(BASE64URL, between(48, 156));
      case 1 -> "sk-" + mixed(ALNUM, 20) + "T3BlbkFJ" + mixed(ALNUM, 20);
      default -> "sk-" + pick(List.of("svcacct-", "admin-", "")) + mixed(ALNUM, 48);
    };
  }

  /** The 64-character base64 lines of a private key body. */
  public List<String> pemBody() {
    int lines = between(6, 25);
    String[] out = new String[lines];
    for (int i = 0; i < lines; i++) out[i] = mixed(BASE64, i == lines - 1 ? between(20, 63) : 64);
    return List.of(out);
  }

  String pemLabel() {
    return pick(List.of("RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED ", "DSA "));
  }

  String jwt() {
    String header = pick(List.of("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\""
        + of(HEX, 16) + "\"}", "{\"alg\":\"ES256\"}"));
    long iat = 1_600_000_000L + rnd.nextInt(100_000_000);
    String payload = "{\"sub\":\"" + between(1000, 99_999_999) + "\",\"role\":\"" + pick(List.of("admin", "user", "svc"))
        + "\",\"iat\":" + iat + ",\"exp\":" + (iat + 3600) + "}";
    return b64url(header) + "." + b64url(payload) + "." + mixed(BASE64URL, pick(List.of(43, 86, 342)));
  }

  static String b64url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  String password() {
    return of(UPPER + LOWER, 1) + mixed(ALNUM + "!%^*_-+=~", between(11, 23));
  }

  String genericSecret() {
    return switch (rnd.nextInt(4)) {
      case 0, 1 -> password();
      case 2 -> of(HEX, pick(List.of(32, 40, 64)));
      default -> mixed(BASE64URL, between(24, 48));
    };
  }

  String word() {
    return pick(List.of("billing", "orders", "ledger", "search", "gateway", "reports", "catalog", "audit", "notify",
        "payments", "inventory", "identity"));
  }

  String uuid() {
    return of(HEX, 8) + "-" + of(HEX, 4) + "-4" + of(HEX, 3) + "-" + pick(List.of("8", "9", "a", "b")) + of(HEX, 3) + "-" + of(HEX, 12);
  }
}
