package io.github.cgscanner.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable finding ids: a hash of the finding's source, its rule family, path, the whitespace-normalised
 * text of its first flagged line and the ordinal of that text among the file's lines with the same
 * normalised text ({@link LineOrdinals}). Line numbers, the exact CWE, the end line and the order in
 * which answers arrive are left out, so an issue keeps its id when code above it moves, when the model
 * words or classifies it differently within its family, and on whichever worker it is found.
 */
public final class FindingIds {
  /**
   * The formula's version, carried by every report. 1: source, ruleId, all flagged lines and an
   * occurrence counted in arrival order. 2: source, family, first flagged line and its ordinal in the
   * file. A new version re-opens every alert once (its ids are all new).
   */
  public static final int ID_VERSION = 2;

  private FindingIds() {}

  /** Runs of whitespace become one space, and the ends are trimmed. */
  public static String normalise(String text) {
    if (text == null) return "";
    StringBuilder sb = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = sb.length() > 0;
        continue;
      }
      if (pendingSpace) sb.append(' ');
      pendingSpace = false;
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * The family a finding's id is computed with: the CWE's ({@link CweFamilies}) for model findings, the
   * ruleId for local ones (a local rule is its own family).
   */
  public static String family(String source, String ruleId, String cwe) {
    return "llm".equals(source) ? CweFamilies.family(cwe) : ruleId;
  }

  public static String id(String source, String family, String path, String normalisedFirstLine, int ordinal) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {source, family, path, normalisedFirstLine, Integer.toString(ordinal)}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
