package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Names.Kind;
import io.github.cgscanner.rules.secrets.Pairs.Op;
import io.github.cgscanner.rules.secrets.Pairs.Pair;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Passwords given to commands rather than to names: SQL's IDENTIFIED BY, {@code mysql -p…}, {@code sshpass -p}. */
final class CommandPasswords {
  private CommandPasswords() {}

  private static final Pattern MYSQL_PASSWORD = Pattern.compile("(?<=\\s)-p([^\\s'\"`;|&<>]{3,64})");
  private static final Pattern SSHPASS =
      Pattern.compile("\\G\\s+-p\\s*(?:'([^'\\s]{1,64})'|\"([^\"\\s]{1,64})\"|([^\\s'\"`;|&<>]{1,64}))");

  /** SQL's {@code IDENTIFIED BY 'password'}. */
  static int identifiedBy(String t, int p, int le, FileContext ctx, Candidates out) {
    int q = Literals.skipSpaces(t, p, le);
    if (!Keywords.is(t, q, le, "by")) return q;
    q = Literals.skipSpaces(t, q + 2, le);
    if (q >= le || t.charAt(q) != '\'' && t.charAt(q) != '"') return q;
    int close = Literals.closingQuote(t, q, le);
    if (close < 0) return q + 1;
    Pair pair = new Pair(p, p, q + 1, close, true, Op.SPACE);
    Confidence c = Values.judge(Kind.PASSWORD, "identified", t.substring(q + 1, close), pair);
    if (c != null) add(ctx, out, q + 1, close, c);
    return close;
  }

  /** {@code mysql -uroot -psecret}: the password glued to its flag. */
  static int mysqlFlag(String t, int hit, int le, FileContext ctx, Candidates out) {
    Matcher m = MYSQL_PASSWORD.matcher(t).region(hit, le);
    while (m.find()) {
      // glued to its flag, the value can only be the password, so a plain word counts (as for an assignment)
      Pair pair = new Pair(hit, hit, m.start(1), m.end(1), false, Op.ASSIGN);
      Confidence c = Values.judge(Kind.PASSWORD, "p", m.group(1), pair);
      if (c != null) add(ctx, out, m.start(1), m.end(1), c);
    }
    return hit + 5;
  }

  /** {@code sshpass -p 'password' ssh …}. */
  static int sshpass(String t, int ne, int le, FileContext ctx, Candidates out) {
    Matcher m = SSHPASS.matcher(t).region(ne, le);
    if (!m.lookingAt()) return ne;
    int g = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
    Pair pair = new Pair(ne, ne, m.start(g), m.end(g), g != 3, Op.FLAG);
    Confidence c = Values.judge(Kind.PASSWORD, "sshpass", m.group(g), pair);
    if (c != null) add(ctx, out, m.start(g), m.end(g), c);
    return m.end();
  }

  private static void add(FileContext ctx, Candidates out, int start, int end, Confidence c) {
    out.add(NamedValues.PASSWORD, start, end, Candidates.NAMED, ctx.lowTrust() ? c.lower() : c);
  }
}
