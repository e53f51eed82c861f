package io.github.cgscanner.source;

import static io.github.cgscanner.source.SourceRejected.INVALID_REQUEST;
import static io.github.cgscanner.source.SourceRejected.SOURCE_REFUSED;

import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The submit-time checks behind {@link SourceSpec#parseSubmitted}. */
final class SubmittedSource {
  static final int MAX_INLINE_FILES = 20_000;
  private static final Set<String> KINDS = Set.of("git", "files", "path");

  private SubmittedSource() {}

  static SourceSpec parse(JsonObject source, ScannerConfig.Sources policy) {
    if (source == null) throw invalid("source is required");
    if (source.size() != 1 || !KINDS.contains(source.fieldNames().iterator().next())) {
      throw invalid("source must hold exactly one of git, files, path");
    }
    String kind = source.fieldNames().iterator().next();
    Object value = source.getValue(kind);
    return switch (kind) {
      case "git" -> git(value, policy);
      case "files" -> files(value, policy);
      default -> path(value, policy);
    };
  }

  private static GitSource git(Object value, ScannerConfig.Sources policy) {
    if (!(value instanceof JsonObject git)) throw invalid("source.git must be an object");
    for (String field : git.fieldNames()) {
      if (!Set.of("url", "ref", "token").contains(field)) throw invalid("source.git has an unknown field");
    }
    String url = optionalString(git, "url");
    GitUrlPolicy.checkUrl(url, policy.gitHosts());
    String ref = optionalString(git, "ref");
    if (ref != null) GitUrlPolicy.checkRef(ref);
    String token = optionalString(git, "token");
    if (token != null) GitUrlPolicy.checkToken(token);
    return new GitSource(url, ref, token);
  }

  private static FilesSource files(Object value, ScannerConfig.Sources policy) {
    if (!(value instanceof JsonArray arr) || arr.isEmpty()) throw invalid("source.files must be a non-empty list");
    if (arr.size() > MAX_INLINE_FILES) throw invalid("source.files holds more than " + MAX_INLINE_FILES + " files");
    List<InlineFile> files = new ArrayList<>(arr.size());
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof JsonObject f)) throw invalid("source.files[" + i + "] must be an object");
      if (!(f.getValue("path") instanceof String path)) throw invalid("source.files[" + i + "].path must be a string");
      if (!(f.getValue("content") instanceof String content)) {
        throw invalid("source.files[" + i + "].content must be a string");
      }
      try {
        RelativePaths.strict(path);
      } catch (IllegalArgumentException e) {
        throw invalid("source.files[" + i + "].path " + e.getMessage());
      }
      if (!seen.add(path)) throw invalid("source.files[" + i + "].path is a duplicate");
      total += content.getBytes(StandardCharsets.UTF_8).length;
      if (total > policy.maxUploadBytes()) throw invalid("source.files content exceeds " + policy.maxUploadBytes() + " bytes");
      files.add(new InlineFile(path, content));
    }
    for (String p : seen) {
      for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
        if (seen.contains(p.substring(0, slash))) throw invalid("source.files path '" + p + "' lies under a file");
      }
    }
    return new FilesSource(files);
  }

  private static PathSource path(Object value, ScannerConfig.Sources policy) {
    if (!(value instanceof String raw) || raw.isEmpty()) throw invalid("source.path must be a non-empty string");
    Path dir;
    try {
      dir = Path.of(raw);
    } catch (InvalidPathException e) {
      throw invalid("source.path is not a valid path");
    }
    if (!dir.isAbsolute()) throw invalid("source.path must be absolute");
    List<Path> roots = realRoots(policy.localPathRoots());
    if (roots.isEmpty()) throw refused("local paths are not accepted by this server");
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      // Only say "not found" inside the roots: elsewhere that would let callers probe the file system.
      Path lexical = dir.normalize();
      if (roots.stream().anyMatch(lexical::startsWith)) throw invalid("source.path does not exist");
      throw refused("source.path is outside the allowed roots");
    }
    if (roots.stream().noneMatch(real::startsWith)) throw refused("source.path is outside the allowed roots");
    if (!Files.isDirectory(real)) throw invalid("source.path is not a directory");
    return new PathSource(real);
  }

  private static List<Path> realRoots(List<String> roots) {
    List<Path> out = new ArrayList<>();
    for (String r : roots) {
      try {
        out.add(Path.of(r).toRealPath());
      } catch (IOException | InvalidPathException e) {
        // A configured root that does not exist grants nothing.
      }
    }
    return out;
  }

  private static String optionalString(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw invalid("source.git." + field + " must be a string");
    return s;
  }

  private static SourceRejected invalid(String message) {
    return new SourceRejected(INVALID_REQUEST, message);
  }

  private static SourceRejected refused(String message) {
    return new SourceRejected(SOURCE_REFUSED, message);
  }
}
