package io.github.cgscanner.scan;

import io.github.cgscanner.llm.VerificationPrompt;
import io.github.cgscanner.protocol.ReviewTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where verdicts could be reused, as the review cache reuses reviews. A verdict depends on nothing but
 * what its request showed: the file's masked text, the finding as given, the model, the verification
 * prompt and the owner's instructions, which {@link #key} hashes; who may reuse whose verdicts (the
 * scope) is the cache's business, hence the owner. {@link #NONE} keeps nothing: the review cache is to
 * provide one kept in the store.
 */
interface VerdictCache {
  VerdictCache NONE = new VerdictCache() {
    @Override
    public Future<Map<String, JsonObject>> lookup(String owner, List<String> keys) {
      return Future.succeededFuture(Map.of());
    }

    @Override
    public void store(String owner, String key, JsonObject verdict) {
      // nothing is kept
    }
  };

  /** @return the verdicts held for any of {@code keys} (each as validated: id, verdict, confidence, justification, severity), by key */
  Future<Map<String, JsonObject>> lookup(String owner, List<String> keys);

  /** Keeps a verdict the model gave; only validated verdicts are stored, never a failure. */
  void store(String owner, String key, JsonObject verdict);

  /** The key of one finding's verdict. Every field is length-prefixed, so no two inputs share a key. */
  static String key(String maskedFileText, ReviewTask.VerifyItem item, String model, String instructions) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String field : new String[] {VerificationPrompt.VERSION, model, instructions == null ? "" : instructions, maskedFileText,
          item.path(), Integer.toString(item.startLine()), Integer.toString(item.endLine()), item.title(), item.evidence()}) {
        byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
