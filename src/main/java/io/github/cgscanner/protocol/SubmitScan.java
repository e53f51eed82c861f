package io.github.cgscanner.protocol;

import io.github.cgscanner.domain.ScanOptions;
import io.vertx.core.json.JsonObject;

/**
 * A submission for a coordinator. {@code source} is the checked source spec (its JSON form); it may
 * carry a git token or inline file contents, so it is sent to another worker only when it carries
 * neither (see {@link #forwardable()}). {@code uploadFile} is a file of the receiving worker.
 */
public record SubmitScan(JsonObject source, ScanOptions options, String owner, String uploadFile) {

  /** Only a git URL without a token may travel to another worker: the event bus is not a secret channel. */
  public boolean forwardable() {
    return uploadFile == null && "git".equals(source.getString("kind")) && source.getString("token") == null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("source", source).put("options", options.toJson()).put("owner", owner)
        .put("uploadFile", uploadFile);
  }

  public static SubmitScan fromJson(JsonObject j) {
    return new SubmitScan(j.getJsonObject("source"), ScanOptions.fromJson(j.getJsonObject("options")), j.getString("owner"),
        j.getString("uploadFile"));
  }
}
