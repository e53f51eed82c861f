package io.github.cgscanner.source;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/** An uploaded {@code .zip} or {@code .tar.gz}, already on disk; {@code name} is what users see. */
public record ArchiveSource(Path file, String name) implements SourceSpec {

  public ArchiveSource {
    Objects.requireNonNull(file, "file");
    if (name == null || name.isBlank()) name = String.valueOf(file.getFileName());
  }

  @Override
  public String kind() {
    return "archive";
  }

  @Override
  public String displayName() {
    return name;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind()).put("file", file.toString()).put("name", name);
  }
}
