package io.github.cgscanner.rules.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that stand for a secret without being one: references to variables and templates, environment
 * lookups, documentation stand-ins, masked output and type names.
 */
final class Placeholders {
  private Placeholders() {}

  /** AWS's own documentation keys and the jwt.io sample, printed in countless tutorials. */
  private static final Set<String> DOCUMENTED = Set.of(
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");

  /** Variable references and template syntax of shells, build tools, template engines and format strings. */
  private static final Pattern REFERENCE = Pattern.compile(
      "^\\$[A-Za-z_{(]|\\$\\{|\\$\\(|\\{\\{|}}|\\{%|<%|%>|#\\{|\\{\\$|%\\(\\w+\\)[sd]|%[sdv]\\b|^(?:var|local|module|data|each|self)\\.\\w|\\{[A-Za-z_][\\w.]*}|^<[^<>]*>$|%[A-Z_][A-Z0-9_]*%|\\.\\.\\."
          + "|^@[A-Za-z_][\\w.]*@?$|^:[a-z_]+$|^\\[[A-Z_ ]+]$|^\\*{3,}|^\\.{3}$|…|<your|<insert");

  private static final Pattern ENV_LOOKUP = Pattern.compile(
      "(?i)os\\.environ|os\\.getenv|getenv\\(|process\\.env|System\\.getenv|ENV\\[|ENV\\.fetch|\\benv\\(|Env\\.|"
          + "Environment\\.GetEnvironmentVariable|\\$ENV\\{|import\\.meta\\.env|secrets\\.|vault\\(|lookup\\(");

  /** Wording that tells the reader to put their own value in. */
  private static final Pattern STAND_IN = Pattern.compile(
      "(?i)^(?:your|(?:my|enter|insert|replace|put|paste|type)[_\\- ])[a-z0-9_\\- ]*$|[_-]here[_-]?$"
          + "|^(?:x{3,}|\\*+|#+|\\?+|-+|_+|\\.+|0+|<+|>+)$|^(?:redacted|removed|hidden|masked|filtered|omitted|sensitive"
          + "|obfuscated|notset|unset|none|null|nil|undefined|empty|blank|n/?a|tbd|todo|fixme)$");

  /** Type names and literals that show up where a value's type, not its value, is declared. */
  private static final Set<String> TYPE_WORDS = Set.of(
      "string", "str", "text", "int", "integer", "number", "bool", "boolean", "true", "false", "object", "any", "bytes",
      "byte", "char", "varchar", "value", "required", "optional", "default",
      "self", "this", "new", "function", "func", "lambda", "void", "unknown", "array", "list", "dict", "map",
      "buffer", "uint8array", "hash", "binary", "blob", "uuid", "date", "datetime", "float", "double", "long",
      "short", "secretstr", "securestring", "sensitive", "nullable");

  /** What a value is called, given as the value: {@code password: "secret"}. A weak password, still a password. */
  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pass", "secret", "token", "key");

  static boolean isSecretWord(String value) {
    return SECRET_WORDS.contains(value.toLowerCase(Locale.ROOT));
  }

  static boolean isDocumented(String value) {
    return DOCUMENTED.contains(value) || value.endsWith("EXAMPLE") || value.endsWith("EXAMPLEKEY");
  }

  /** A reference, template, lookup or stand-in rather than a value. */
  static boolean isPlaceholder(String value) {
    if (value.isEmpty() || isDocumented(value)) return true;
    if (TYPE_WORDS.contains(value.toLowerCase(Locale.ROOT))) return true;
    return REFERENCE.matcher(value).find() || ENV_LOOKUP.matcher(value).find() || STAND_IN.matcher(value).find();
  }

  private static final Pattern STAND_IN_WORDS = Pattern.compile("(?i)your|example|sample|dummy|placeholder|x{5,}|\\.{3}");

  /** A token-shaped value that says it is a stand-in: sk_live_your_key_here, AIzaSyEXAMPLE…, ghp_xxxxx…. */
  static boolean standsIn(String value) {
    return STAND_IN_WORDS.matcher(value).find();
  }

  static boolean isEnvLookup(CharSequence text) {
    return ENV_LOOKUP.matcher(text).find();
  }

  /** Values people type when any value will do: abc123, deadbeef, qwerty123. */
  private static final Pattern FILLER = Pattern.compile(
      "(?i)^(?:abc\\d*|abcdef\\d*|abc-?\\d+|deadbeef|cafebabe|foo|bar|baz|foobar|foo\\d+|bar\\d+|asdf|hunter2|x+\\d*)$");

  static boolean isFiller(String value) {
    return FILLER.matcher(value).matches();
  }

  private static final List<String> FAKE_WORDS = List.of(
      "example", "sample", "dummy", "placeholder", "changeme", "change_me", "change-me", "fake", "mock", "lorem",
      "foobar", "redacted", "invalid", "wrong", "incorrect", "bogus", "notreal", "not_real");

  /** Words that say a value was made up for a test or a document: kept as a secret, at a lower confidence. */
  static boolean soundsFake(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    for (String w : FAKE_WORDS) {
      if (v.contains(w)) return true;
    }
    return false;
  }
}
