package io.github.cgscanner.source;

import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a scan reads: a git repository, an uploaded archive, inline files or a local directory. */
public sealed interface SourceSpec permits GitSource, ArchiveSource, FilesSource, PathSource {

  /** {@code git}, {@code archive}, {@code files} or {@code path}. */
  String kind();

  /** A name safe to show and log (never a token). */
  String displayName();

  /** Internal transport form (event bus). Carries the git token: never log it, never return it to users. */
  JsonObject toJson();

  /** Inverse of {@link #toJson()}; the input is trusted (it comes from our own {@link #toJson()}). */
  static SourceSpec fromJson(JsonObject internal) {
    String kind = internal.getString("kind");
    return switch (kind == null ? "" : kind) {
      case "git" -> new GitSource(internal.getString("url"), internal.getString("ref"), internal.getString("token"));
      case "archive" -> new ArchiveSource(Path.of(internal.getString("file")), internal.getString("name"));
      case "files" -> {
        List<InlineFile> files = new ArrayList<>();
        for (Object o : internal.getJsonArray("files", new JsonArray())) {
          JsonObject f = (JsonObject) o;
          files.add(new InlineFile(f.getString("path"), f.getString("content")));
        }
        yield new FilesSource(files);
      }
      case "path" -> new PathSource(Path.of(internal.getString("dir")));
      default -> throw new IllegalArgumentException("unknown source kind");
    };
  }

  /**
   * Parses the {@code source} object of {@code POST /api/v1/scans} and runs every check that needs no
   * network: syntax, URL policy, inline path rules, size limits, local path roots.
   *
   * @throws SourceRejected with {@code invalid_request} or {@code source_refused}
   */
  static SourceSpec parseSubmitted(JsonObject source, ScannerConfig.Sources policy) {
    return SubmittedSource.parse(source, policy);
  }
}
