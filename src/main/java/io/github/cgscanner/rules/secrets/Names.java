package io.github.cgscanner.rules.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a variable, key, flag or header name says its value is. */
final class Names {
  private Names() {}

  enum Kind {
    /** A password or passphrase: people choose them, so even a plain word counts. */
    PASSWORD,
    /** A token, secret, salt or qualified key: a machine-made value is expected. */
    SECRET,
    /** A bare "key": as often a map key or a cache key, so only a random-looking value counts. */
    KEY,
    /** An HTTP authorization header or field: its value carries a scheme (Basic, Bearer, …). */
    AUTHORIZATION,
    NONE
  }

  private static final Set<String> PASSWORD_WORDS = Set.copyOf(List.of(
      "password", "passwd", "pwd", "pass", "passphrase", "passw", "pword", "passwort", "contrasena", "senha", "mdp",
      "pswd", "psw", "pw", "userpassword", "rootpassword", "sshpass", "passin", "passout"));

  private static final Set<String> SECRET_WORDS = Set.copyOf(List.of(
      "secret", "secrets", "token", "credential", "credentials", "creds", "cred", "salt", "nonce", "apikey", "authkey",
      "privatekey", "secretkey", "accesskey", "authtoken", "accesstoken", "refreshtoken", "apitoken", "apisecret",
      "clientsecret", "otp", "totp", "hotp", "mfa", "2fa", "auth", "oauth", "authdata", "tokens",
      "passcode", "hmac", "csrftoken", "xsrftoken"));

  /** The word before a "key" that makes it a secret key (api key, access key, …). */
  private static final Set<String> KEY_QUALIFIERS = Set.copyOf(List.of(
      "api", "access", "secret", "private", "signing", "sign", "encryption", "encrypt", "master", "app", "auth", "client",
      "consumer", "session", "cipher", "mac", "hmac", "aes", "des", "rsa", "crypto", "shared", "storage", "account",
      "license", "licence", "service", "subscription", "primary", "secondary", "admin", "root", "deploy", "ssh", "gpg",
      "pgp", "repo", "webhook", "nonce", "jwt", "token", "cookie", "dev", "prod", "live", "test", "sas",
      "certificate", "cert", "tls", "ssl", "rest", "write", "read", "security", "s3", "aws", "azure", "gcp", "firebase"));

  /** Name endings that hold something about a secret (where, how long, what kind, how checked), not the secret. */
  private static final Set<String> NOT_A_VALUE = Set.copyOf(List.of(
      "url", "uri", "urls", "endpoint", "host", "hostname", "name", "names", "file", "files", "filename", "path", "dir",
      "field", "fields", "label", "length", "len", "size", "min", "max", "minlength", "maxlength", "type", "types",
      "id", "ids", "arn", "hash", "hashed", "digest", "sha", "sha1", "sha2", "sha256", "sha512", "md5", "bcrypt",
      "crypt", "regex", "regexp", "pattern", "prompt", "count", "env", "var", "variable", "ttl", "expiry", "expires",
      "expiration", "expire", "expired", "timeout", "version", "message", "msg", "error", "errors", "enabled",
      "enable", "required", "mode", "policy", "location", "format", "placeholder", "hint", "title", "text",
      "description", "desc", "param", "parameter", "column", "provider", "service", "store", "manager", "validator",
      "encoder", "storage", "cache", "class", "generator", "lifetime", "duration", "ref", "reference", "source",
      "prefix", "suffix", "strength", "selector", "input", "button", "form", "view", "route", "handler", "method",
      "scheme", "mechanism", "plugin", "module", "strategy", "options", "option", "config", "settings", "setting",
      "helper", "util", "utils", "factory", "builder", "callback", "listener", "event", "events", "request",
      "response", "header", "headers", "status", "state", "flag", "flags", "changed", "reset", "confirmation_sent",
      "at", "on", "date", "time", "timestamp", "sent", "count", "attempts", "retries", "index", "idx", "position",
      "pos", "list", "keys", "values", "map", "dict", "table", "schema", "command", "cmd", "action", "algorithm",
      "algo", "alg", "cipher", "len", "bits", "usage", "use", "used", "valid", "invalid", "verify", "verified",
      "check", "test", "tests", "spec", "example", "sample", "template", "pair", "prefixes", "kind", "category",
      "tag", "tags", "region", "zone", "owner", "user", "username", "login", "email", "account", "policy",
      "client", "page", "scope", "scopes", "audience", "issuer", "algorithm", "exchange", "ex", "set", "get",
      "key_id", "keyid", "fingerprint", "thumbprint", "serial", "cert", "certificate", "crt", "pem", "pub", "public",
      "publickey", "chars", "charset", "encoding", "locale", "lang", "display", "visible", "shown", "show",
      "hidden", "hide", "toggle", "mask", "masked", "rotation", "rotate", "policy", "rules", "rule", "level",
      "interval", "period", "limit", "limits", "rate", "quota", "sha2_password", "caching_sha2_password",
      "tokenizer", "secrets_manager", "manager", "ssm", "vault", "kms", "arn", "alias", "param",
      "placeholder", "md", "resp", "namespace", "ns", "result", "results", "output", "expected", "actual"));

  /** Words before "key" that make it a lookup key, not a secret one: cache key, sort key, object key. */
  private static final Set<String> LOOKUP_KEYS = Set.of(
      "cache", "sort", "partition", "row", "foreign", "unique", "composite", "index", "lookup", "map", "dict", "hash",
      "routing", "shard", "group", "order", "idempotency", "dedup", "dedupe", "i18n", "translation", "locale",
      "message", "metric", "label", "tag", "cursor", "page", "column", "field", "object", "bucket", "file",
      "state", "store", "redis", "memcache", "query", "search", "item", "entity", "record", "registry",
      "config", "setting", "settings", "env", "hot", "short", "shortcut", "keyboard", "menu", "react", "list", "child",
      "parent", "join", "range", "sharding", "rowkey", "attribute", "attr", "property", "prop");

  /** Words that make the whole name about a secret rather than the secret: its type, its public half. */
  private static final Set<String> ABOUT_A_SECRET = Set.of(
      "type", "types", "kind", "mode", "scheme", "mechanism", "style", "strategy", "public", "askpass", "hint", "label",
      "placeholder", "prompt", "title", "caption", "tooltip", "message", "msg", "description", "help", "identifier");

  /** First words of names of actions on a secret (reset_password, hash_token): the value is not the secret. */
  private static final Set<String> VERBS = Set.of(
      "no", "change", "reset", "forgot", "forget", "destroy", "hash", "encrypt",
      "decrypt", "generate", "gen", "show", "hide", "toggle", "remember", "require", "requires", "send", "get", "is",
      "has", "can", "should", "allow", "enable", "disable", "clear", "delete", "remove", "create", "handle", "on",
      "do", "make", "build", "parse", "fetch", "load", "save", "read", "write", "find", "lookup", "revoke", "rotate",
      "expire", "invalidate", "ask", "prompt", "print", "log", "format", "assert", "expect", "render",
      "display", "mask", "sign", "exchange", "decode", "encode", "serialize", "deserialize", "extract");

  /** First words of setter and builder names, whose argument is the value: setPassword("…"), withToken("…"). */
  private static final Set<String> SETTERS = Set.of("set", "with", "use", "add", "put", "enter", "type", "fill", "provide");

  static List<String> words(CharSequence name) {
    List<String> out = new ArrayList<>(4);
    StringBuilder w = new StringBuilder();
    int n = name.length();
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(w, out);
        continue;
      }
      if (w.length() > 0 && Character.isUpperCase(c)) {
        char prev = name.charAt(i - 1);
        boolean nextLower = i + 1 < n && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
          flush(w, out);
        }
      }
      w.append(Character.toLowerCase(c));
    }
    flush(w, out);
    return out;
  }

  /** Trailing digits go ({@code password2}, {@code oauth2}, {@code sha256}): they never change what a word names. */
  private static void flush(StringBuilder w, List<String> out) {
    int end = w.length();
    while (end > 1 && Character.isDigit(w.charAt(end - 1))) end--;
    if (end > 0) out.add(w.substring(0, Character.isDigit(w.charAt(end - 1)) ? w.length() : end));
    w.setLength(0);
  }

  static Kind kind(CharSequence name) {
    List<String> w = words(name);
    if (w.isEmpty()) return Kind.NONE;
    String last = w.get(w.size() - 1);
    if (NOT_A_VALUE.contains(last) && !isPasswordWord(last)) return Kind.NONE;
    for (String word : w) {
      if (ABOUT_A_SECRET.contains(word)) return Kind.NONE;
    }
    if (isSecretWord(last) && !isPasswordWord(last)) return Kind.SECRET;
    Kind best = Kind.NONE;
    for (int i = 0; i < w.size(); i++) {
      String word = w.get(i);
      if (isPasswordWord(word)) return Kind.PASSWORD;
      if (word.equals("authorization") || word.equals("authorisation")) {
        best = Kind.AUTHORIZATION;
      } else if (best != Kind.AUTHORIZATION && (isSecretWord(word)
          || (word.equals("key") && i > 0 && KEY_QUALIFIERS.contains(w.get(i - 1))))) {
        best = Kind.SECRET;
      } else if (best == Kind.NONE && word.equals("key") && i > 0 && LOOKUP_KEYS.contains(w.get(i - 1))) {
        return Kind.NONE;
      } else if (best == Kind.NONE && (word.equals("key") || word.equals("ticket") || fusedKey(word))) {
        best = fusedKey(word) ? Kind.SECRET : Kind.KEY;
      }
    }
    return best;
  }

  /** A name that performs or checks something rather than holds a value. */
  static boolean namesAnAction(CharSequence name) {
    List<String> w = words(name);
    return !w.isEmpty() && VERBS.contains(w.get(0));
  }

  /** A call whose argument is the named value: {@code password("…")}, {@code setPassword("…")}. */
  static boolean isSetter(CharSequence name) {
    List<String> w = words(name);
    return w.size() == 1 && SETTER_NOUNS.contains(w.get(0)) || w.size() >= 2 && w.size() <= 3 && SETTERS.contains(w.get(0));
  }

  /** One-word calls that take the secret: password("…"), token("…"); not pass("…"), a test assertion. */
  private static final Set<String> SETTER_NOUNS = Set.of(
      "password", "passwd", "passphrase", "secret", "token", "apikey", "apitoken", "credential", "credentials");

  static boolean isPasswordWord(String w) {
    if (PASSWORD_WORDS.contains(w)) return true;
    if (w.contains("password") || w.contains("passwd") || w.contains("passphrase")) return true;
    return w.length() <= 24 && (w.endsWith("pwd") || (w.endsWith("pass") && !w.endsWith("bypass")
        && !w.endsWith("compass") && !w.endsWith("surpass") && !w.endsWith("overpass")));
  }

  private static boolean isSecretWord(String w) {
    if (SECRET_WORDS.contains(w)) return true;
    if (w.contains("secret") || w.endsWith("token") || w.endsWith("salt") && w.length() > 4 || w.startsWith("nonce")) {
      return true;
    }
    return w.startsWith("auth") && (w.endsWith("key") || w.endsWith("token") || w.endsWith("salt") || w.endsWith("data"));
  }

  /** One word that runs a qualifier into "key": apikey, secretkey, noncekey, loggedinkey. */
  private static boolean fusedKey(String w) {
    if (w.length() <= 3 || !w.endsWith("key")) return false;
    String q = w.substring(0, w.length() - 3);
    return KEY_QUALIFIERS.contains(q) || q.endsWith("auth") || q.endsWith("api") || q.endsWith("secret")
        || q.endsWith("private") || q.endsWith("access") || q.equals("loggedin") || q.endsWith("nonce");
  }

  static String squashed(CharSequence s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)) b.append(Character.toLowerCase(c));
    }
    return b.toString();
  }
}
