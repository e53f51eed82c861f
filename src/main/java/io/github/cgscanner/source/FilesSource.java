package io.github.cgscanner.source;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Files sent inline in the request. */
public record FilesSource(List<InlineFile> files) implements SourceSpec {

  public FilesSource {
    files = List.copyOf(files);
  }

  @Override
  public String kind() {
    return "files";
  }

  @Override
  public String displayName() {
    return "inline files";
  }

  @Override
  public JsonObject toJson() {
    JsonArray arr = new JsonArray();
    files.forEach(f -> arr.add(new JsonObject().put("path", f.path()).put("content", f.content())));
    return new JsonObject().put("kind", kind()).put("files", arr);
  }

  @Override
  public String toString() {
    return "FilesSource[files=" + files.size() + "]";
  }
}
