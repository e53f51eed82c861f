package io.github.cgscanner.source;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/** A directory on this machine, scanned in place. */
public record PathSource(Path dir) implements SourceSpec {

  public PathSource {
    Objects.requireNonNull(dir, "dir");
  }

  @Override
  public String kind() {
    return "path";
  }

  @Override
  public String displayName() {
    return dir.toString();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind()).put("dir", dir.toString());
  }
}
