package io.github.cgscanner.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.domain.ScanOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Source specs in their JSON form, as the HTTP verticle hands them to a coordinator. */
class SubmitScanTest {
  private static SubmitScan of(JsonObject source, String upload) {
    return new SubmitScan(source, ScanOptions.none(), "owner", upload);
  }

  @Test
  void onlyWhatCarriesNoSecretMayTravelToAnotherWorker() {
    JsonObject git = new JsonObject().put("kind", "git").put("url", "https://github.com/a/b").putNull("ref").putNull("token");
    assertTrue(of(git, null).forwardable());
    assertFalse(of(git.copy().put("token", "ghp_secret"), null).forwardable(), "a token never goes over the event bus");
    JsonObject files = new JsonObject().put("kind", "files")
        .put("files", new JsonArray().add(new JsonObject().put("path", "a").put("content", "x")));
    assertFalse(of(files, null).forwardable(), "inline files are unmasked code");
    assertFalse(of(new JsonObject().put("kind", "path").put("dir", "/srv/code"), null).forwardable(),
        "a local path exists on this machine only");
    assertFalse(of(new JsonObject().put("kind", "archive").put("file", "/tmp/u"), "/tmp/u").forwardable(),
        "an upload lives where its file is");
  }
}
