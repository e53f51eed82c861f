package io.github.cgscanner.source;

import io.vertx.core.json.JsonObject;

/** A remote repository; {@code ref} null means the default branch; {@code token} is optional. */
public record GitSource(String url, String ref, String token) implements SourceSpec {

  @Override
  public String kind() {
    return "git";
  }

  /** The URL as submitted: submit-time checks refuse URLs that carry credentials. */
  @Override
  public String displayName() {
    return url;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind()).put("url", url).put("ref", ref).put("token", token);
  }

  @Override
  public String toString() {
    return "GitSource[url=" + url + ", ref=" + ref + ", token=" + (token == null ? "none" : "***") + "]";
  }
}
