package io.github.cgscanner.scan;

import io.github.cgscanner.llm.PromptBuilder;
import io.github.cgscanner.protocol.ReviewTask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The review cache's key of a chunk: a SHA-256 of everything a model answer depends on — the endpoint,
 * the model, the prompt version, the owner's instructions, and for each part its path, line range,
 * masked text and local-rule hints — and of the scope: the owner's name unless reviews are shared by
 * the cluster. Fields are length-prefixed, so no two different inputs hash the same bytes.
 */
final class ReviewKeys {
  /** Changes when what a key covers changes: older entries are then never found again. */
  private static final String FORMAT = "review-cache/1";

  private final String endpoint;

  ReviewKeys(String endpoint) {
    this.endpoint = endpoint;
  }

  /** @param scope {@link #scope} of the scan */
  String key(String scope, String model, String instructions, List<ReviewTask.Part> parts) {
    MessageDigest sha = sha256();
    for (String field : new String[] {FORMAT, scope, endpoint, model, PromptBuilder.PROMPT_VERSION, instructions}) put(sha, field);
    for (ReviewTask.Part p : parts) {
      put(sha, p.path());
      put(sha, p.startLine() + "-" + p.endLine());
      put(sha, p.text());
      for (ReviewTask.Hint h : p.hints()) put(sha, h.line() + ":" + h.rule() + ":" + h.title());
      put(sha, "end-of-part");
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** @param model the model the scan's chunks were planned for (see {@link ScanRun#reviewModel}) */
  String key(String scope, String model, ReviewTask task) {
    return key(scope, model, task.instructions(), task.parts());
  }

  /** What separates the reviews of one owner from another's; one scope for every scan when the cluster shares them. */
  static String scope(boolean shared, String owner) {
    return shared ? "cluster" : "owner:" + (owner == null ? "" : owner);
  }

  private static void put(MessageDigest sha, String field) {
    byte[] bytes = field == null ? new byte[0] : field.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(5).putInt(bytes.length).put((byte) (field == null ? 0 : 1)).array());
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
