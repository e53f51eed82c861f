package io.github.cgscanner.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable finding ids: a hash of source, ruleId, path, the whitespace-normalised flagged text and an
 * occurrence index. Line numbers are deliberately left out so that an issue keeps its id when code
 * above it moves.
 */
public final class FindingIds {
  private FindingIds() {}

  public static String normalise(String flaggedText) {
    return flaggedText == null ? "" : flaggedText.replaceAll("\\s+", " ").trim();
  }

  public static String id(String source, String ruleId, String path, String normalisedText, int occurrence) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {source, ruleId, path, normalisedText, Integer.toString(occurrence)}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
