package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Names.Kind;
import io.github.cgscanner.rules.secrets.Pairs.Op;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether the value given to a secret-looking name is a credential, and how sure that is. A password is
 * chosen by a person, so a plain word counts; a token or secret is made by a machine or a person, so it
 * must not read as an identifier or prose; a bare "key" must look random.
 */
final class Values {
  private Values() {}

  private static final Pattern PASSWORD_HASH = Pattern.compile("^\\$(?:2[abxy]?|argon2\\w*|[1356]|pbkdf2[-\\w]*|scrypt)\\$");
  private static final Pattern PATH_OR_URL = Pattern.compile(
      "^(?:/|\\./|\\.\\./|~/|@/|@\\w+/|[A-Za-z]:\\\\|file:|classpath:|https?:|s3:|gs:|arn:|env:|vault:|ref\\+|op://|secret://)");
  private static final Pattern IDENTIFIER_PATH = Pattern.compile("^[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+(?:\\(\\))?$");
  private static final Pattern MODULE_PATH = Pattern.compile("^[A-Za-z_][\\w-]*(?:[./][A-Za-z_][\\w-]*){2,}$");
  private static final Pattern CONSTANT_NAME = Pattern.compile("^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$");
  private static final Pattern LETTERS_AND_SEPARATORS = Pattern.compile("^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$");
  private static final Pattern FILE_NAME = Pattern.compile("^[\\w.-]+\\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|"
      + "conf|cfg|ini|env|properties|xml|gpg|asc|pub|enc|js|ts|py|rb|go|java|php|sh|html?)$");
  /** Starts like a provider format that did not pass that format's own check: cut short or made up. */
  private static final Pattern PROVIDER_PREFIX = Pattern.compile(
      "^(?:AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_|AIza|sk-|eyJ|SG\\.|npm_|hf_)");
  /** Characters of machine-made tokens (base64, base64url, hex, base32). */
  private static final Pattern TOKEN_ALPHABET = Pattern.compile("^[A-Za-z0-9+/=_.~-]+$");

  /**
   * {@code strict}: the value stands unquoted in code, outside any string, where only a value that looks
   * generated (not a variable, not a word) can be a literal credential (in a comment, a URL, a heredoc).
   */
  static Confidence judge(Kind kind, CharSequence name, String value, Pairs.Pair pair, boolean strict) {
    int n = value.length();
    if (n == 0 || n > Pairs.MAX_VALUE) return null;
    if (pair.list()) return kind == Kind.PASSWORD || kind == Kind.SECRET ? Confidence.LOW : null;
    char first = value.charAt(0);
    if (first == '\\' || first == '-' && pair.op() == Op.FLAG) return null;
    if (Placeholders.isPlaceholder(value) || Placeholders.isFiller(value) || PATH_OR_URL.matcher(value).find()
        || FILE_NAME.matcher(value).matches() || PASSWORD_HASH.matcher(value).find()) {
      return null;
    }
    if (!pair.quoted() && (IDENTIFIER_PATH.matcher(value).matches() || value.indexOf('(') >= 0)) return null;
    if (MODULE_PATH.matcher(value).matches() || PROVIDER_PREFIX.matcher(value).find()) return null;
    Shape s = Shape.of(value);
    if (strict && !s.random(16)) return null;
    if (kind == Kind.PASSWORD) {
      if (s.fullySequential()) return null;
      if (restatesName(name, value) || Placeholders.isSecretWord(value)) return s.length >= 4 ? Confidence.LOW : null;
      return password(value, s);
    }
    if (restatesName(name, value) || Placeholders.isSecretWord(value) || s.sequential()) return null;
    return switch (kind) {
      case SECRET -> secret(value, s, pair);
      case KEY -> s.random(16) && (TOKEN_ALPHABET.matcher(value).matches() || s.entropy >= 4.2)
          && !CONSTANT_NAME.matcher(value).matches() ? Confidence.MEDIUM : null;
      default -> null;
    };
  }

  static Confidence judge(Kind kind, CharSequence name, String value, Pairs.Pair pair) {
    return judge(kind, name, value, pair, false);
  }

  /** The value says the name again: {@code password: "password"}, {@code token: "token1234"}. */
  private static boolean restatesName(CharSequence name, String value) {
    String v = Names.squashed(value);
    if (v.isEmpty() || v.equals(Names.squashed(name))) return true;
    String letters = v.replaceAll("\\d+$", "");
    List<String> words = Names.words(name);
    for (String w : words) {
      if (w.length() >= 3 && (v.equals(w) || letters.equals(w))) return true;
    }
    return false;
  }

  private static Confidence password(String v, Shape s) {
    if (s.length < 4 || s.length > 128 || s.spaces > 0) return null;
    if (s.digitsOnly() && s.length < 7) return null;
    if (s.lowVariety() && s.length < 8) return null;
    if (CONSTANT_NAME.matcher(v).matches() && s.digits == 0) return Confidence.LOW;
    if (s.lettersOnly() || s.digitsOnly() || Placeholders.soundsFake(v)) return Confidence.LOW;
    return Confidence.MEDIUM;
  }

  private static Confidence secret(String v, Shape s, Pairs.Pair pair) {
    if (s.length < 6 || s.spaces > 0 || s.lowVariety()) return null;
    if (s.digitsOnly() && s.length < 16) return null;
    if (CONSTANT_NAME.matcher(v).matches()) return null;
    if (s.random(16)) return Placeholders.soundsFake(v) ? Confidence.LOW : Confidence.MEDIUM;
    if (LETTERS_AND_SEPARATORS.matcher(v).matches()) {
      boolean oneWord = Names.words(v).size() == 1;
      boolean plain = pair.quoted() || pair.op() == Op.ASSIGN;
      return oneWord && plain && s.length >= 8 && pair.op() != Op.PAIR && !Placeholders.soundsFake(v) ? Confidence.LOW : null;
    }
    return Confidence.LOW;
  }
}
