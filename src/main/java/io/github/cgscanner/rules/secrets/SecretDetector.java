package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Candidates.Candidate;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds credentials in one file's text. Shape: private key blocks, provider token formats, JWTs, URLs
 * with a password, HTTP auth schemes, UUIDs. Context: values given to secret-looking names in the
 * syntaxes of code, config, shell, SQL and prose, judged by what the name promises and what the value
 * looks like; the file's place (tests, fixtures, examples, docs) lowers the confidence. Stateless and
 * thread-safe.
 */
public final class SecretDetector {

  public List<SecretMatch> find(String path, String text) {
    if (text == null || text.isEmpty()) return List.of();
    Candidates found = new Candidates();
    PrivateKeys.find(text, found);
    new Tokens(text, found).find();
    Jwts.find(text, found);
    UrlCredentials.find(text, found);
    NamedValues named = new NamedValues(text, FileContext.of(path), found);
    int n = text.length();
    for (int ls = 0; ls <= n; ) {
      int le = text.indexOf('\n', ls);
      if (le < 0) le = n;
      named.line(ls, le);
      ls = le + 1;
    }
    return lines(text, found.resolve());
  }

  /** The candidates, in order of offset, with the lines they fall on. */
  private static List<SecretMatch> lines(String text, List<Candidate> kept) {
    List<SecretMatch> out = new ArrayList<>(kept.size());
    int line = 1;
    int at = 0;
    for (Candidate c : kept) {
      line += newlines(text, at, c.start());
      int endLine = line + newlines(text, c.start(), Math.max(c.start(), c.end() - 1));
      out.add(new SecretMatch(c.type(), line, endLine, c.start(), c.end(), c.confidence()));
      at = c.start();
    }
    return out;
  }

  private static int newlines(String text, int from, int to) {
    int count = 0;
    for (int i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
    return count;
  }
}
