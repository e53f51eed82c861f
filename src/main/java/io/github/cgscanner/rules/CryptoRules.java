package io.github.cgscanner.rules;

import static io.github.cgscanner.rules.Lang.*;

import io.github.cgscanner.domain.Severity;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Rules on cryptographic choices: hash and cipher algorithms, random number generators. */
final class CryptoRules {
  private CryptoRules() {}

  private static Set<Lang> only(Lang first, Lang... rest) {
    return EnumSet.of(first, rest);
  }

  /** Names a JCA provider accepts for broken or obsolete digests. */
  static final String WEAK_DIGEST = "MD2|MD4|MD5|SHA|SHA-?0|SHA-?1";
  /** Transformations and key algorithms that are broken, obsolete or ECB ("AES" alone means AES/ECB in Java). */
  static final String WEAK_CIPHER = "(?:DES|DESede|TripleDES|3DES|RC2|RC4|ARCFOUR|ARC4|Blowfish)(?:/.*)?"
      + "|(?!RSA/)[^/]+/ECB/.*|AES";
  /** Key algorithms of broken or obsolete ciphers (for key generators, factories and specs, where "AES" is fine). */
  static final String WEAK_KEY = "DES|DESede|TripleDES|3DES|RC2|RC4|ARCFOUR|ARC4|Blowfish|PBEWith\\w*(?:DES|RC2|RC4)\\w*";

  static Rule weakHash() {
    return new Rule("weak-hash", "CWE-328", Severity.MEDIUM, "medium",
        "Weak hash algorithm (MD5/SHA-1)",
        "MD5 and SHA-1 are broken for collision resistance and far too fast for passwords. Used for "
            + "signatures, integrity of untrusted data, tokens or password storage, they can be forged or cracked. "
            + "The algorithm may be named here or come from a constant or a configuration key the repository sets.",
        "Use SHA-256 or better for integrity, HMAC-SHA-256 for keyed checks, and bcrypt, scrypt, Argon2 or "
            + "PBKDF2 for passwords. Mark non-security uses explicitly (e.g. usedforsecurity=False).",
        false,
        List.of("md5", "sha1", "sha-1", "\"sha\"", "md2", "md4", "messagedigest", "digestutils"),
        List.of(
            Probe.of("\\bMessageDigest\\s*\\.\\s*getInstance\\s*\\(|\\bDigestUtils\\s*\\.\\s*getDigest\\s*\\(", only(JAVA))
                .when(Sites.argumentValue(0, WEAK_DIGEST)),
            Probe.of("\\bDigestUtils\\.(?:md2|md5|sha1|sha|getMd2Digest|getMd5Digest|getSha1Digest|getShaDigest)(?:Hex)?\\s*\\("
                + "|\\bHashing\\.(?:md5|sha1)\\s*\\(", only(JAVA)),
            Probe.of("\\bhashlib\\.(?:md5|sha1)\\s*\\(|\\bhashlib\\.new\\s*\\(\\s*['\"](?:md5|sha1)['\"]", only(PYTHON))
                .unless("usedforsecurity\\s*=\\s*False"),
            Probe.of("\\bcreateHash\\s*\\(\\s*['\"`](?:md5|sha1)['\"`]", only(JS)),
            Probe.of("\\b(?:md5|sha1)\\.(?:New|Sum)\\s*\\(", only(GO)),
            Probe.of("(?<![\\w>$:])(?:md5|sha1)\\s*\\(|\\bhash\\s*\\(\\s*['\"](?:md5|sha1)['\"]", only(PHP)),
            Probe.of("\\bDigest::(?:MD5|SHA1)\\b|\\bOpenSSL::Digest(?:::(?:MD5|SHA1)|\\.new\\s*\\(\\s*['\"](?:md5|sha1)['\"])",
                only(RUBY)),
            Probe.of("\\b(?:MD5|SHA1)\\.Create\\s*\\(|\\bnew\\s+(?:MD5CryptoServiceProvider|SHA1CryptoServiceProvider|SHA1Managed)\\b"
                + "|HashAlgorithm\\.Create\\s*\\(\\s*\"(?:MD5|SHA1)\"", only(CSHARP))));
  }

  static Rule weakCipher() {
    return new Rule("weak-cipher", "CWE-327", Severity.HIGH, "medium",
        "Weak cipher or ECB mode",
        "DES, 3DES, RC2, RC4 and Blowfish are broken or obsolete, and ECB mode leaks patterns of the plaintext. "
            + "A bare \"AES\" transformation in Java defaults to AES/ECB/PKCS5Padding. The algorithm may be named "
            + "here or come from a constant or a configuration key the repository sets.",
        "Use AES-GCM (or ChaCha20-Poly1305) with a random nonce per message, naming the full transformation, "
            + "e.g. Cipher.getInstance(\"AES/GCM/NoPadding\").",
        false,
        List.of("cipher", "des", "rc4", "arc4", "arc2", "blowfish", "ecb", "mcrypt", "rc2", "openssl_", "keygenerator",
            "secretkeyfactory", "secretkeyspec"),
        List.of(
            Probe.of("\\bCipher\\s*\\.\\s*getInstance\\s*\\(", only(JAVA)).when(Sites.argumentValue(0, WEAK_CIPHER)),
            Probe.of("\\b(?:KeyGenerator|SecretKeyFactory)\\s*\\.\\s*getInstance\\s*\\(", only(JAVA))
                .when(Sites.argumentValue(0, WEAK_KEY)),
            Probe.of("\\bnew\\s+(?:javax\\.crypto\\.spec\\.)?SecretKeySpec\\s*\\(", only(JAVA))
                .when(Sites.argumentValue(1, WEAK_KEY)),
            Probe.of("\\bnew\\s+(?:javax\\.crypto\\.spec\\.)?DES(?:ede)?KeySpec\\s*\\(", only(JAVA)),
            Probe.of("\\b(?:DES3?|ARC[24]|Blowfish)\\.new\\s*\\(|\\bMODE_ECB\\b|\\bmodes\\.ECB\\s*\\(|\\balgorithms\\.(?:TripleDES|ARC4|Blowfish)\\s*\\(",
                only(PYTHON)),
            Probe.of("\\bcreateCipher\\s*\\(|\\bcreateCipheriv\\s*\\(\\s*['\"`](?:des|rc4|rc2|bf|blowfish|[\\w-]*-ecb)",
                only(JS)),
            Probe.of("\\b(?:des\\.NewCipher|des\\.NewTripleDESCipher|rc4\\.NewCipher)\\s*\\(", only(GO)),
            Probe.of("\\bopenssl_(?:en|de)crypt\\s*\\([^)]*['\"](?:des[\\w-]*|rc4[\\w-]*|bf[\\w-]*|[\\w-]*-ecb)['\"]|\\bmcrypt_\\w+\\s*\\(|MCRYPT_(?:DES|MODE_ECB)",
                only(PHP)),
            Probe.of("\\bOpenSSL::Cipher(?:::\\w+)?\\.new\\s*\\(\\s*['\"](?:des|rc4|rc2|bf|[\\w-]*-ecb)", only(RUBY)),
            Probe.of("\\b(?:DES|TripleDES|RC2)\\.Create\\s*\\(|\\bnew\\s+(?:DES|TripleDES|RC2)CryptoServiceProvider\\b|\\bCipherMode\\.ECB\\b",
                only(CSHARP))));
  }

  /**
   * A non-cryptographic generator is only worth reporting where its output is a security value; the
   * statement alone rarely says so (a random long, then a token made of it), so the words are looked
   * for a few lines around.
   */
  static Rule insecureRandom() {
    return new Rule("insecure-random", "CWE-330", Severity.MEDIUM, "low",
        "Predictable random numbers for a security value",
        "A non-cryptographic random generator produces what looks like a token, password, key, salt, nonce or "
            + "cookie value. Its output can be predicted from earlier values or the seed.",
        "Use a cryptographically secure generator: SecureRandom (Java), secrets (Python), crypto.randomBytes / "
            + "crypto.getRandomValues (JS), crypto/rand (Go), random_bytes (PHP), SecureRandom (Ruby), "
            + "RandomNumberGenerator (C#).",
        false,
        List.of("random", "rand", "uniqid", "lcg_value"),
        List.of(
            Probe.of("\\bnew\\s+(?:java\\.util\\.)?Random\\s*\\(|\\bMath\\.random\\s*\\(|\\bThreadLocalRandom\\.current\\s*\\("
                + "|\\bRandomStringUtils\\.random\\w*\\s*\\(", only(JAVA, JS, CSHARP))
                .when(Sites.nearby(SECURITY_VALUE, 2, 3)),
            Probe.of("\\brandom\\.(?:random|randint|choice|choices|randrange|getrandbits|sample)\\s*\\(", only(PYTHON))
                .requireOnLine(SECURITY_VALUE),
            Probe.of("\\brand\\.(?:Intn|Int63|Int31|Int|Read|Uint32|Uint64)\\s*\\(", only(GO))
                .requireOnLine(SECURITY_VALUE).requireInFile("\"math/rand(?:/v2)?\""),
            Probe.of("(?<![\\w>$:])(?:mt_rand|rand|uniqid|lcg_value)\\s*\\(", only(PHP)).requireOnLine(SECURITY_VALUE),
            Probe.of("(?<![\\w.:])rand\\s*\\(|\\bRandom\\.(?:rand|new)\\b", only(RUBY)).requireOnLine(SECURITY_VALUE)));
  }

  /** Words naming values an attacker gains by predicting them. */
  static final String SECURITY_VALUE =
      "(?i)(?:token|passw|secret|salt|nonce|otp\\b|csrf|xsrf|session_?id|sessionid|api_?key|reset_?code|verification_?code"
          + "|activation|captcha|\\biv\\b|remember_?me|cookie|(?-i:[a-z]Key\\b))";
}
