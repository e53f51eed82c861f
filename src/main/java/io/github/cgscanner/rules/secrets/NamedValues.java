package io.github.cgscanner.rules.secrets;

import io.github.cgscanner.rules.secrets.Names.Kind;
import io.github.cgscanner.rules.secrets.Pairs.Op;
import io.github.cgscanner.rules.secrets.Pairs.Pair;
import java.util.regex.Pattern;

/**
 * Secrets known by their name rather than their shape: from each keyword on a line, the name around it,
 * the value given to it ({@link Pairs}) and whether that value is a credential ({@link Values}); plus the
 * forms where the name is a scheme ({@link AuthSchemes}) or a command ({@link CommandPasswords}).
 */
final class NamedValues {
  static final String PASSWORD = "password";
  static final String GENERIC = "generic-secret";
  static final String AWS_SECRET = "aws-secret-access-key";

  private static final Pattern AWS_SECRET_VALUE = Pattern.compile("[A-Za-z0-9/+]{40}");

  private final String t;
  private final FileContext ctx;
  private final Candidates out;
  private int quoteAt;
  private char quoteOpen;
  /** A multi-line string is open at the end of the line read last; the current line started inside one. */
  private final boolean hasRawStrings;
  private boolean rawOpen;
  private boolean lineInRaw;

  NamedValues(String text, FileContext ctx, Candidates out) {
    this.t = text;
    this.ctx = ctx;
    this.out = out;
    this.hasRawStrings = ctx.code() && (text.indexOf('`') >= 0 || text.contains("\"\"\""));
  }

  void line(int ls, int le) {
    lineInRaw = rawOpen;
    if (hasRawStrings) rawOpen = rawOpenAfter(ls, le);
    quoteAt = ls;
    quoteOpen = 0;
    int i = ls;
    while (i < le) {
      int hit = Keywords.next(t, i, le);
      if (hit < 0) return;
      i = Math.max(hit + 1, handle(hit, ls, le));
    }
  }

  private int handle(int hit, int ls, int le) {
    boolean wordStart = hit == ls || !Character.isLetterOrDigit(t.charAt(hit - 1));
    if (wordStart && (Keywords.is(t, hit, le, "bearer ") || Keywords.is(t, hit, le, "basic "))) {
      return AuthSchemes.at(t, hit, le, false, ctx, out);
    }
    if (wordStart && Keywords.is(t, hit, le, "identified")) return CommandPasswords.identifiedBy(t, hit + 10, le, ctx, out);
    if (wordStart && Keywords.is(t, hit, le, "mysql")) return CommandPasswords.mysqlFlag(t, hit, le, ctx, out);
    int ns = Pairs.nameStart(t, hit, ls);
    int ne = Pairs.nameEnd(t, hit, le);
    if (ne <= hit || ne - ns > Pairs.MAX_NAME) return ne;
    String name = t.substring(ns, ne);
    Kind kind = Names.kind(name);
    if (kind == Kind.NONE) return ne;
    if (name.equalsIgnoreCase("sshpass")) return CommandPasswords.sshpass(t, ne, le, ctx, out);
    boolean quotedName = ns > ls && isQuote(t.charAt(ns - 1));
    if (ns >= ls + 2 && t.charAt(ns - 1) == '{' && t.charAt(ns - 2) == '$') return ne;
    boolean inString = lineInRaw || insideString(quotedName ? ns - 1 : ns);
    Pair p = Pairs.valueOf(t, ns, ne, ls, le, true);
    if (p == null) return ne;
    Values.Where where = p.quoted() || p.list() ? Values.Where.QUOTED
        : inString ? Values.Where.EMBEDDED
        : ctx.code() ? Values.Where.CODE
        : ctx.prose() ? Values.Where.PROSE : Values.Where.CONFIG;
    if (where == Values.Where.EMBEDDED && !lineInRaw && t.charAt(p.valueStart() - 1) == ':') return ne;
    if (p.op() == Op.COMPARE && kind != Kind.PASSWORD) return ne;
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (p.op() == Op.CALL ? !Names.isSetter(last) && !Literals.regionIs(t, ns - 4, le, "new ") : Names.namesAnAction(last)) {
      return ne;
    }
    if (kind == Kind.AUTHORIZATION) return authorization(p, le);
    int vs = p.valueStart();
    if (t.charAt(ns) == '-' && t.startsWith("pass:", vs)) vs += 5;
    String value = t.substring(vs, p.valueEnd());
    Confidence c = Values.judge(kind, name, value, p, where);
    if (c == null) return ne;
    add(type(kind, name, value), vs, p.valueEnd(), c);
    if (p.quoted() && p.valueStart() > ne && t.charAt(p.valueStart() - 2) == '[') moreItems(kind, name, p, le);
    return p.op() == Op.ASSIGN && !p.quoted() ? p.valueEnd() : ne;
  }

  /** The other strings of {@code "tokens": ["…", "…"]}. */
  private void moreItems(Kind kind, String name, Pair first, int le) {
    int p = first.valueEnd() + 1;
    while (true) {
      p = Literals.skipSpaces(t, p, le);
      if (p >= le || t.charAt(p) != ',') return;
      p = Literals.skipSpaces(t, p + 1, le);
      if (p >= le || t.charAt(p) != t.charAt(first.valueEnd())) return;
      int close = Literals.closingQuote(t, p, le);
      if (close < 0) return;
      Pair item = new Pair(first.nameStart(), first.nameEnd(), p + 1, close, true, first.op());
      Confidence c = Values.judge(kind, name, t.substring(p + 1, close), item);
      if (c != null) add(type(kind, name, t.substring(p + 1, close)), p + 1, close, c);
      p = close + 1;
    }
  }

  /**
   * Whether the next line starts inside a multi-line string (a backtick raw string, a triple-quoted block):
   * text there is data, so an unquoted value in it counts. Tracked over every line of a code file.
   */
  private boolean rawOpenAfter(int ls, int le) {
    boolean open = rawOpen;
    for (int i = ls; i < le; i++) {
      char c = t.charAt(i);
      if (c == '`') {
        open = !open;
      } else if (c == '"' && i + 2 < le && t.charAt(i + 1) == '"' && t.charAt(i + 2) == '"') {
        open = !open;
        i += 2;
      }
    }
    return open;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  private void add(String type, int start, int end, Confidence c) {
    out.add(type, start, end, Candidates.NAMED, ctx.lowTrust() ? c.lower() : c);
  }

  private static String type(Kind kind, String name, String value) {
    if (kind == Kind.PASSWORD) return PASSWORD;
    String sq = Names.squashed(name);
    boolean aws = sq.contains("secretaccesskey") || sq.contains("aws") && sq.contains("secret")
        || sq.contains("s3") && sq.contains("secret");
    return aws && AWS_SECRET_VALUE.matcher(value).matches() ? AWS_SECRET : GENERIC;
  }

  /**
   * Whether the line up to {@code at} leaves a quote open: then a bare value there is inside a string
   * literal. Names are met left to right, so the scan goes on from where the last call stopped.
   */
  private boolean insideString(int at) {
    if (at < quoteAt) return false;
    int i = quoteAt;
    char open = quoteOpen;
    for (; i < at; i++) {
      char c = t.charAt(i);
      if (c == '\\') {
        i++;
      } else if (open == 0) {
        if (c == '"' || c == '\'' || c == '`') open = c;
      } else if (c == open) {
        open = 0;
      }
    }
    quoteAt = i;
    quoteOpen = open;
    return open != 0;
  }

  /** {@code Authorization: Basic …} in one string, or a bare scheme word followed by its credentials. */
  private int authorization(Pair p, int le) {
    int vs = p.valueStart();
    int space = vs;
    while (space < p.valueEnd() && t.charAt(space) != ' ') space++;
    if (space < p.valueEnd() || !p.quoted()) {
      return AuthSchemes.at(t, vs, p.quoted() ? p.valueEnd() : le, true, ctx, out);
    }
    String value = t.substring(vs, p.valueEnd());
    Confidence c = Values.judge(Kind.SECRET, "authorization", value, p);
    if (c != null) add(GENERIC, vs, p.valueEnd(), c);
    return p.valueEnd();
  }
}
