package io.github.cgscanner.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Decides from a variable or config key whether its value is meant to be a secret. */
final class SecretNames {
  private SecretNames() {}

  private static final Pattern SPLIT =
      Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_.\\-$@\\s]+");

  private static final Set<String> SECRET_WORDS = Set.of(
      "password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "apikey", "credential",
      "credentials", "auth", "authorization", "privatekey", "accesskey", "secretkey", "authtoken", "accesstoken");

  /** "<word> key" pairs that name a secret; a bare "key" says too little (cache keys, map keys). */
  private static final Set<String> KEY_QUALIFIERS = Set.of(
      "api", "access", "secret", "private", "signing", "encryption", "master", "app", "auth", "client");

  private static final Set<String> SINGLE_WORD_ENDINGS = Set.of(
      "password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey", "authkey",
      "credentials", "passphrase");

  /** Names that hold something about a secret (where, how long, what kind), not the secret. */
  private static final Set<String> NOT_A_VALUE = Set.of(
      "url", "uri", "urls", "endpoint", "host", "name", "names", "file", "filename", "path", "dir", "field", "label",
      "length", "len", "size", "min", "max", "type", "types", "header", "id", "ids", "hash", "hashed", "digest",
      "regex", "pattern", "prompt", "count", "env", "var", "variable", "ttl", "expiry", "expires", "expiration",
      "timeout", "version", "message", "msg", "error", "enabled", "enable", "required", "mode", "policy",
      "location", "format", "placeholder", "hint", "title", "text", "description", "desc", "param", "parameter",
      "column", "provider", "service", "store", "manager", "validator", "encoder", "storage", "cache", "class",
      "generator", "lifetime", "duration", "ref", "reference", "source", "prefix", "suffix", "strength",
      "arn", "selector", "input", "button", "form", "view", "route", "handler", "method", "scheme");

  private static final Pattern SECRET_FRAGMENT = Pattern.compile("(?i)pass|pwd|secret|token|key|auth|credential");

  /** Cheap pre-check: a line naming no secret-ish word cannot hold a secret-named assignment. */
  static boolean mayNameSecret(String line) {
    return SECRET_FRAGMENT.matcher(line).find();
  }

  static List<String> words(String key) {
    String k = key.replaceAll("^[\"'$@:]+", "");
    return Arrays.stream(SPLIT.split(k)).filter(w -> !w.isEmpty()).map(w -> w.toLowerCase(Locale.ROOT)).toList();
  }

  static boolean isSecretName(String key) {
    List<String> w = words(key);
    if (w.isEmpty() || NOT_A_VALUE.contains(w.get(w.size() - 1))) return false;
    if (w.size() == 1) return SINGLE_WORD_ENDINGS.stream().anyMatch(w.get(0)::endsWith) || SECRET_WORDS.contains(w.get(0));
    for (int i = 0; i < w.size(); i++) {
      if (SECRET_WORDS.contains(w.get(i))) return true;
      if (i > 0 && w.get(i).equals("key") && KEY_QUALIFIERS.contains(w.get(i - 1))) return true;
    }
    return false;
  }

  static String squashed(String key) {
    return String.join("", words(key));
  }
}
