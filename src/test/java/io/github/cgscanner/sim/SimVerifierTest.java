package io.github.cgscanner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cgscanner.it.DecoyRepo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The simulated verifier decides from the code it is shown, nothing else. */
class SimVerifierTest {
  private static String request(DecoyRepo.Planted p, String content, String title, int fromLine) {
    String[] lines = content.split("\n");
    StringBuilder sb = new StringBuilder("FINDINGS:\n")
        .append(new JsonObject().put("id", "x1").put("path", p.path()).put("startLine", p.line()).put("endLine", p.line())
            .put("title", title).put("evidence", "e").encode()).append("\n\nCODE:\n")
        .append("=== FILE: ").append(p.path()).append(" (lines ").append(fromLine).append('-').append(lines.length).append(") ===\n");
    for (int n = fromLine; n <= lines.length; n++) sb.append(n).append("| ").append(lines[n - 1]).append('\n');
    return sb.toString();
  }

  private static JsonObject verdict(String request) {
    JsonArray v = SimVerifier.verdicts(request);
    assertEquals(1, v.size());
    return v.getJsonObject(0);
  }

  @Test
  void eachDecoyFormIsRejectedWhenItsGuardIsShownAndConfirmedWhenItIsNot() {
    DecoyRepo repo = DecoyRepo.generate(4, 0, 30, 5);
    for (DecoyRepo.Planted p : repo.planted) {
      String content = repo.files.get(p.path());
      JsonObject whole = verdict(request(p, content, "whatever the title says", 1));
      String expected = switch (p.kind()) {
        case DECOY -> "rejected";
        case REAL, ENVIRONMENT -> "confirmed";
      };
      assertEquals(expected, whole.getString("verdict"), p + ": " + whole);
      if (p.kind() == DecoyRepo.Kind.DECOY) {
        assertEquals("confirmed", verdict(request(p, content, "a decoy", p.line() - 5)).getString("verdict"),
            "without the lines that guard it, the sink stands: " + p);
      }
      if (p.kind() == DecoyRepo.Kind.ENVIRONMENT) assertEquals("medium", whole.getString("severity"));
    }
  }

  @Test
  void aFindingWhoseLinesAreNotShownIsUncertain() {
    DecoyRepo repo = DecoyRepo.generate(1, 0, 30, 5);
    DecoyRepo.Planted p = repo.of(DecoyRepo.Kind.REAL).get(0);
    String content = repo.files.get(p.path());
    String shortened = String.join("\n", java.util.Arrays.copyOf(content.split("\n"), p.line() - 1));
    assertEquals("uncertain", verdict(request(p, shortened, "t", 1)).getString("verdict"));
  }
}
