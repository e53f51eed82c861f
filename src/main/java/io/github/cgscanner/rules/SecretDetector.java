package io.github.cgscanner.rules;

import static io.github.cgscanner.rules.SecretKind.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in one file's text: provider token formats, PEM private keys, JWTs, passwords in
 * URLs and secret-named assignments gated by entropy. Stateless and thread-safe.
 */
public final class SecretDetector {

  /** {@code needle}: a literal every match contains, checked first because most files hold none. */
  private record Format(String type, String needle, Pattern pattern, double minEntropy) {}

  private record Candidate(String type, int start, int end, int priority) {}

  private static final List<Format> FORMATS = List.of(
      new Format(AWS_ACCESS_KEY_ID, "IA", Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])"), 3.0),
      new Format(GITHUB_TOKEN, "gh", Pattern.compile("(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])"), 3.5),
      new Format(GITHUB_FINE_GRAINED_PAT, "github_pat_",
          Pattern.compile("(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59,200}(?![A-Za-z0-9_])"), 3.5),
      new Format(SLACK_TOKEN, "xox", Pattern.compile("(?<![A-Za-z0-9-])xox[abposr]-\\d{1,16}-[0-9A-Za-z-]{8,250}(?![A-Za-z0-9-])"), 3.0),
      new Format(STRIPE_LIVE_KEY, "k_live_", Pattern.compile("(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{20,247}(?![A-Za-z0-9_])"), 3.0),
      new Format(GOOGLE_API_KEY, "AIza", Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"), 3.5),
      new Format(OPENAI_API_KEY, "sk-", Pattern.compile(
          "(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}"
              + "|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})(?![A-Za-z0-9_-])"), 3.5));

  private static final Pattern JWT_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,2000})\\.eyJ[A-Za-z0-9_-]{10,8000}\\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_-])");

  private static final Pattern URL_USERINFO = Pattern.compile(
      "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://([^\\s:/?#@'\"`<>]{1,100}):([^\\s/?#@'\"`<>]{1,200})@([^\\s/'\"`<>]+)");

  /** Hosts reserved for documentation (RFC 2606): credentials there are examples. */
  private static final Pattern EXAMPLE_HOST = Pattern.compile("(?i)^(?:[\\w-]+\\.)*example(?:\\.(?:com|org|net))?(?:[:/].*)?$");

  private static final Pattern AWS_SECRET_VALUE = Pattern.compile("[A-Za-z0-9/+]{40}");

  private static final Set<String> CONFIG_EXTENSIONS = Set.of(
      "env", "properties", "yaml", "yml", "ini", "cfg", "conf", "config", "cnf", "toml", "sh", "bash", "zsh",
      "tf", "tfvars", "hcl", "npmrc", "pypirc", "netrc", "txt", "credentials", "example");

  private static final int MAX_LINE = 10_000;

  public List<SecretMatch> find(String path, String text) {
    if (text == null || text.isEmpty()) return List.of();
    List<Candidate> found = new ArrayList<>();
    for (int[] span : PrivateKeys.find(text)) found.add(new Candidate(PRIVATE_KEY, span[0], span[1], 0));
    tokens(text, found);
    jwts(text, found);
    urlPasswords(text, found);
    assignments(path, text, found);
    return resolve(text, found);
  }

  private static void tokens(String text, List<Candidate> out) {
    for (Format f : FORMATS) {
      if (!text.contains(f.needle())) continue;
      Matcher m = f.pattern().matcher(text);
      while (m.find()) {
        String v = m.group();
        if (!Placeholders.isPlaceholder(v) && Entropy.shannon(v) >= f.minEntropy()) {
          out.add(new Candidate(f.type(), m.start(), m.end(), 1));
        }
      }
    }
  }

  private static void jwts(String text, List<Candidate> out) {
    if (!text.contains("eyJ")) return;
    Matcher m = JWT_TOKEN.matcher(text);
    while (m.find()) {
      if (!Placeholders.isDocumented(m.group()) && headerHasAlg(m.group(1))) {
        out.add(new Candidate(JWT, m.start(), m.end(), 2));
      }
    }
  }

  private static boolean headerHasAlg(String header) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8).trim();
      return json.startsWith("{") && json.matches("(?s).*\"alg\"\\s*:.*");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void urlPasswords(String text, List<Candidate> out) {
    if (!text.contains("://")) return;
    Matcher m = URL_USERINFO.matcher(text);
    while (m.find()) {
      String user = m.group(1);
      String pass = m.group(2);
      if (pass.length() >= 4 && !pass.equalsIgnoreCase(user) && !EXAMPLE_HOST.matcher(m.group(3)).matches() && !Placeholders.isPlaceholder(pass)
          && !looksLikePatternOrTemplate(pass)) {
        out.add(new Candidate(URL_CREDENTIALS, m.start(2), m.end(2), 3));
      }
    }
  }

  private static boolean looksLikePatternOrTemplate(String s) {
    return s.contains("\\") || s.contains("(") || s.contains("[") || s.contains("{") || s.contains("*")
        || s.startsWith("$") || s.startsWith("%");
  }

  private static void assignments(String path, String text, List<Candidate> out) {
    boolean bareValues = allowsBareValues(path);
    int lineStart = 0;
    String prev1 = "";
    String prev2 = "";
    while (lineStart <= text.length()) {
      int nl = text.indexOf('\n', lineStart);
      int lineEnd = nl < 0 ? text.length() : nl;
      String line = text.substring(lineStart, lineEnd);
      if (line.length() <= MAX_LINE && SecretNames.mayNameSecret(line)) {
        boolean awsNearby = (line + prev1 + prev2).toLowerCase(Locale.ROOT).contains("aws");
        for (Assignment a : Assignments.onLine(line, lineStart)) {
          if (!a.quoted() && !bareValues && a.before() != ';' && a.before() != '?' && a.before() != '&') continue;
          Candidate c = classify(a, awsNearby);
          if (c != null) out.add(c);
        }
      }
      prev2 = prev1;
      prev1 = line;
      if (nl < 0) break;
      lineStart = nl + 1;
    }
  }

  private static Candidate classify(Assignment a, boolean awsNearby) {
    String squashed = SecretNames.squashed(a.key());
    String v = a.value();
    boolean awsName = squashed.contains("secretaccesskey")
        || (squashed.contains("aws") && squashed.contains("secret"))
        || (awsNearby && squashed.contains("secret") && squashed.endsWith("key"));
    if (awsName && AWS_SECRET_VALUE.matcher(v).matches()) {
      return awsSecretLike(v) ? new Candidate(AWS_SECRET_ACCESS_KEY, a.valueStart(), a.valueEnd(), 4) : null;
    }
    if (SecretNames.isSecretName(a.key()) && GenericValues.plausible(v, a.key(), a.quoted())) {
      return new Candidate(GENERIC_SECRET, a.valueStart(), a.valueEnd(), 5);
    }
    return null;
  }

  private static boolean awsSecretLike(String v) {
    return !Placeholders.isPlaceholder(v) && Entropy.shannon(v) >= 4.0
        && v.chars().anyMatch(Character::isUpperCase) && v.chars().anyMatch(Character::isLowerCase)
        && v.chars().anyMatch(Character::isDigit);
  }

  static boolean allowsBareValues(String path) {
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.startsWith(".env") || name.equals("dockerfile") || name.equals("credentials")) return true;
    int dot = name.lastIndexOf('.');
    return dot < 0 || CONFIG_EXTENSIONS.contains(name.substring(dot + 1));
  }

  /** Keeps the most specific candidate where several cover the same characters. */
  private static List<SecretMatch> resolve(String text, List<Candidate> found) {
    found.sort(Comparator.comparingInt(Candidate::priority).thenComparingInt(Candidate::start));
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : found) {
      if (kept.stream().noneMatch(k -> k.start() < c.end() && c.start() < k.end())) kept.add(c);
    }
    kept.sort(Comparator.comparingInt(Candidate::start));
    LineIndex lines = new LineIndex(text);
    List<SecretMatch> out = new ArrayList<>(kept.size());
    for (Candidate c : kept) {
      out.add(new SecretMatch(c.type(), lines.lineOf(c.start()), lines.endLineOf(c.start(), c.end()), c.start(), c.end()));
    }
    return out;
  }
}
