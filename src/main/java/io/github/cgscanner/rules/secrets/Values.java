package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Names.Kind;
import io.github.cgscanner.rules.secrets.Pairs.Op;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether the value given to a secret-looking name is a credential, and how sure that is. A password is
 * chosen by a person, so a plain word counts; a token or secret must not read as an identifier, a word
 * pair or prose; a bare "key" must look random. Where the value stands matters too: a string literal, a
 * bare config value, text inside a string of code, bare code (then it is a variable unless it looks made
 * by a generator), prose.
 */
final class Values {
  private Values() {}

  enum Where { QUOTED, CONFIG, PROSE, EMBEDDED, CODE }

  private static final Pattern PASSWORD_HASH = Pattern.compile("^\\$(?:2[abxy]?|argon2\\w*|[1356]|pbkdf2[-\\w]*|scrypt)\\$");
  private static final Pattern PATH_OR_URL = Pattern.compile(
      "^(?:/|\\./|\\.\\./|~/|@/|@\\w+/|[A-Za-z]:\\\\|file:|classpath:|https?:|s3:|gs:|arn:|env:|vault:|ref\\+|op://"
          + "|secret://|urn:)");
  private static final Pattern IDENTIFIER_PATH = Pattern.compile("^[A-Za-z_$:][\\w$.:]*$");
  private static final Pattern MODULE_PATH = Pattern.compile("^[A-Za-z_][\\w-]*(?:[./][A-Za-z_][\\w-]*){2,}$");
  private static final Pattern CONSTANT_NAME = Pattern.compile("^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$");
  private static final Pattern LETTERS_AND_SEPARATORS = Pattern.compile("^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$");
  private static final Pattern FILE_PATH = Pattern.compile(
      "^[\\w.@/-]*\\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|conf|cfg|ini|env|properties|xml|gpg|asc|pub|enc"
          + "|js|ts|py|rb|go|java|php|sh|html?|crc|csv|log|zip|gz|tar|png|jpg|svg|parquet)$");
  private static final Pattern MEDIA_TYPE = Pattern.compile("^(?:application|text|image|audio|video|multipart)/[\\w.+-]+$");
  /** Starts like a provider format that did not pass that format's own check: cut short or made up. */
  private static final Pattern PROVIDER_PREFIX = Pattern.compile(
      "^(?:AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_|AIza|sk-|eyJ|SG\\.|npm_|hf_)");
  /** Characters of machine-made tokens (base64, base64url, hex, base32). */
  private static final Pattern TOKEN_ALPHABET = Pattern.compile("^[A-Za-z0-9+/=_.~-]+$");
  /** Words put before or after a name to make a stand-in value: testtoken, my_secret, secret123. */
  private static final String STAND_IN_AFFIX = "(?:test|some|my|fake|dummy|sample|example|invalid|private|your|new|the"
      + "|foo|bar|abc|xyz|this|mock|other|another|wrong|bad|good|valid|random|default|[_-])*";

  static Confidence judge(Kind kind, CharSequence name, String value, Pairs.Pair pair) {
    return judge(kind, name, value, pair, pair.quoted() ? Where.QUOTED : Where.CONFIG);
  }

  static Confidence judge(Kind kind, CharSequence name, String value, Pairs.Pair pair, Where where) {
    int n = value.length();
    if (n == 0 || n > Literals.MAX_VALUE) return null;
    if (pair.list()) return kind == Kind.PASSWORD || kind == Kind.SECRET ? Confidence.LOW : null;
    char first = value.charAt(0);
    char last = value.charAt(n - 1);
    if (first == '\\' || first == '-' && pair.op() == Op.FLAG || !pair.quoted() && last == ':') return null;
    if (pair.quoted() && (first == '{' || first == '[') && (value.indexOf('"') >= 0 || value.indexOf(':') >= 0)) return null;
    if (Placeholders.isPlaceholder(value) || Placeholders.isFiller(value) || PATH_OR_URL.matcher(value).find()
        || FILE_PATH.matcher(value).matches() || MEDIA_TYPE.matcher(value).matches()
        || PASSWORD_HASH.matcher(value).find() || PROVIDER_PREFIX.matcher(value).find() || foreignScript(value)) {
      return null;
    }
    Shape s = Shape.of(value);
    if (MODULE_PATH.matcher(value).matches() && !s.random(16)) return null;
    if (where == Where.CODE && (!s.random(16) || IDENTIFIER_PATH.matcher(value).matches())) return null;
    if (where == Where.EMBEDDED && s.lettersOnly() && readsAsWord(value, s)) return null;
    // name: value in prose is a sentence ("passphrase: should be…") more often than a setting
    boolean afterColon = pair.op() == Op.ASSIGN && !pair.quoted() && pair.colon();
    if (!pair.quoted() && (where == Where.PROSE && afterColon || pair.op() == Op.FLAG)
        && readsAsWord(trimmed(value), Shape.of(trimmed(value)))) {
      return null;
    }
    if (!pair.quoted() && Placeholders.isPlaceholder(value.substring(0, value.indexOf(':') < 0 ? n : value.indexOf(':')))) {
      return null;
    }
    if (kind == Kind.PASSWORD) return password(name, value, s, pair, where);
    if (restatesName(name, value) || standIn(name, value) || Placeholders.isSecretWord(value) || s.sequential()) {
      return null;
    }
    if (value.contains("\\n") || value.contains("\\t")) return null;
    return switch (kind) {
      case SECRET -> secret(value, s, pair, where);
      case KEY -> s.random(16) && (TOKEN_ALPHABET.matcher(value).matches() || s.entropy >= 4.2)
          && !CONSTANT_NAME.matcher(value).matches() && !hasWordSegment(value) ? Confidence.MEDIUM : null;
      default -> null;
    };
  }

  /** A segment between - _ . that is a word (ovn4nfv-k8s-plugin): a slug or a name, not a random key. */
  private static boolean hasWordSegment(String v) {
    String[] parts = v.split("[-_.]");
    if (parts.length < 2) return false;
    for (String part : parts) {
      if (part.length() >= 4 && part.chars().allMatch(Character::isLetter) && readsAsWord(part, Shape.of(part))) return true;
    }
    return false;
  }

  /** Letters of a script other than Latin (CJK, Cyrillic…): a description in another language, not a key. */
  private static boolean foreignScript(String v) {
    for (int i = 0; i < v.length(); ) {
      int c = v.codePointAt(i);
      i += Character.charCount(c);
      if (c > 0x2FF && Character.isLetter(c) && Character.UnicodeScript.of(c) != Character.UnicodeScript.LATIN) return true;
    }
    return false;
  }

  /** A lower-case or capitalised word with the vowels of one (prose), as opposed to random letters or a CONSTANT. */
  private static boolean readsAsWord(String v, Shape s) {
    if (s.upper == s.length || s.upper > 1) return false;
    int vowels = 0;
    for (int i = 0; i < v.length(); i++) {
      if ("aeiouAEIOU".indexOf(v.charAt(i)) >= 0) vowels++;
    }
    return vowels * 4 >= v.length();
  }

  /** The value says the name again: {@code password: "password"}, {@code token: "token1234"}. */
  private static boolean restatesName(CharSequence name, String value) {
    String v = Names.squashed(value);
    if (v.isEmpty() || v.equals(Names.squashed(name))) return true;
    String letters = v.replaceAll("\\d+$", "");
    for (String w : Names.words(name)) {
      if (w.length() >= 3 && (v.equals(w) || letters.equals(w))) return true;
    }
    return false;
  }

  /** A made-up value built from the name: testtoken, my_secret_key, newsaltphrase-free forms like invalid_token. */
  private static boolean standIn(CharSequence name, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    List<String> valueWords = Names.words(value);
    for (String w : Names.words(name)) {
      if (w.length() < 3) continue;
      if (v.matches(STAND_IN_AFFIX + Pattern.quote(w) + "[\\d_-]*" + STAND_IN_AFFIX)) return true;
      if (valueWords.size() >= 2 && valueWords.get(valueWords.size() - 1).equals(w)) return true;
    }
    return false;
  }

  /**
   * snake_case words: with a password word in it, in prose or as the second item of a pair, the name of a
   * field ({@code ("password", "nickserv_password")}), not a password.
   */
  private static final Pattern SNAKE_CASE = Pattern.compile("^[a-z]+(?:_[a-z]+)+$");

  private static String trimmed(String v) {
    int end = v.length();
    while (end > 1 && ".,;:!?".indexOf(v.charAt(end - 1)) >= 0) end--;
    return v.substring(0, end);
  }

  private static Confidence password(CharSequence name, String v, Shape s, Pairs.Pair pair, Where where) {
    if (s.length < 4 || s.length > 128 || s.spaces > 0 || s.fullySequential()) return null;
    if (v.contains("\\t") || v.contains("\\n")) return null;
    boolean listed = where == Where.PROSE || pair.op() == Op.PAIR;
    if (listed && SNAKE_CASE.matcher(v).matches() && Names.words(v).stream().anyMatch(Names::isPasswordWord)) return null;
    if (s.digitsOnly() && s.length < 7) return null;
    if (s.lowVariety() && s.length < 8) return null;
    if (restatesName(name, v) || Placeholders.isSecretWord(v)) {
      boolean usage = where == Where.PROSE || pair.op() == Op.FLAG || pair.op() == Op.SPACE;
      boolean saysPassword = Placeholders.isSecretWord(v) || Names.squashed(v).equals(Names.squashed(name));
      return usage && saysPassword ? null : Confidence.LOW;
    }
    if (CONSTANT_NAME.matcher(v).matches() && s.digits == 0) return Confidence.LOW;
    if (s.lettersOnly() || s.digitsOnly() || Placeholders.soundsFake(v)) return Confidence.LOW;
    return Confidence.MEDIUM;
  }

  private static Confidence secret(String v, Shape s, Pairs.Pair pair, Where where) {
    if (s.length < 6 || s.spaces > 0 || s.lowVariety()) return null;
    if (s.digitsOnly() && s.length < 16) return null;
    if (CONSTANT_NAME.matcher(v).matches()) return null;
    boolean fake = Placeholders.soundsFake(v);
    if (s.random(16)) return fake ? Confidence.LOW : Confidence.MEDIUM;
    if (LETTERS_AND_SEPARATORS.matcher(v).matches() && (s.wordy() || s.symbols > 0)) {
      boolean oneWord = Names.words(v).size() == 1;
      return oneWord && s.length >= 8 && pair.op() != Op.PAIR && !fake ? Confidence.LOW : null;
    }
    if (fake && s.wordy()) return null;
    return Confidence.LOW;
  }
}
