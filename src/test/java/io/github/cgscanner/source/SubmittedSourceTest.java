package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ScannerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubmittedSourceTest {
  private static final ScannerConfig.Sources POLICY = TestPolicy.sources();

  private static String rejectCode(JsonObject source, ScannerConfig.Sources policy) {
    return assertThrows(SourceRejected.class, () -> SourceSpec.parseSubmitted(source, policy)).code();
  }

  private static JsonObject files(JsonObject... files) {
    return new JsonObject().put("files", new JsonArray(List.of((Object[]) files)));
  }

  private static JsonObject file(String path, String content) {
    return new JsonObject().put("path", path).put("content", content);
  }

  @Test
  void needsExactlyOneKind() {
    assertEquals("invalid_request", rejectCode(new JsonObject(), POLICY));
    assertEquals("invalid_request", rejectCode(null, POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("svn", "x"), POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject()
        .put("git", new JsonObject().put("url", "https://github.com/a/b"))
        .put("path", "/tmp"), POLICY));
  }

  @Test
  void parsesGitWithRefAndTokenAndHidesTheToken() {
    SourceSpec spec = SourceSpec.parseSubmitted(new JsonObject().put("git", new JsonObject()
        .put("url", "https://github.com/a/b.git").put("ref", "main").put("token", "ghp_secretvalue")), POLICY);
    GitSource git = assertInstanceOf(GitSource.class, spec);
    assertEquals("main", git.ref());
    assertEquals("git", git.kind());
    assertEquals("https://github.com/a/b.git", git.displayName());
    assertFalse(git.toString().contains("ghp_secretvalue"));
    assertEquals(git, SourceSpec.fromJson(git.toJson()));
  }

  @Test
  void gitRejections() {
    assertEquals("source_refused", rejectCode(new JsonObject().put("git", new JsonObject()
        .put("url", "https://x:y@github.com/a/b")), POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("git", new JsonObject()
        .put("url", "https://github.com/a/b").put("ref", "--upload-pack=x")), POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("git", new JsonObject()
        .put("url", "https://github.com/a/b").put("token", "has space")), POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("git", "https://github.com/a/b"), POLICY));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("git", new JsonObject()
        .put("url", "https://github.com/a/b").put("depth", 5)), POLICY));
    SourceRejected e = assertThrows(SourceRejected.class, () -> SourceSpec.parseSubmitted(new JsonObject()
        .put("git", new JsonObject().put("url", "https://github.com/a/b").put("token", "bad\ntoken-secret")), POLICY));
    assertFalse(e.getMessage().contains("token-secret"));
  }

  @Test
  void parsesInlineFilesAndRoundTrips() {
    SourceSpec spec = SourceSpec.parseSubmitted(files(file("src/A.java", "class A {}"), file("README.md", "# x")), POLICY);
    FilesSource f = assertInstanceOf(FilesSource.class, spec);
    assertEquals(2, f.files().size());
    assertEquals("inline files", f.displayName());
    assertEquals(f, SourceSpec.fromJson(f.toJson()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "a/../../evil", "/etc/passwd", "C:/x", "c:x", "a\\b", "a//b", "a/", "./a", "a/./b",
      "a/..", "", "a\u0000b", "a\nb"})
  void refusesBadInlinePaths(String path) {
    assertEquals("invalid_request", rejectCode(files(file(path, "x")), POLICY));
  }

  @Test
  void inlineFileLimits() {
    assertEquals("invalid_request", rejectCode(new JsonObject().put("files", new JsonArray()), POLICY));
    assertEquals("invalid_request", rejectCode(files(file("a", "x"), file("a", "y")), POLICY));
    assertEquals("invalid_request", rejectCode(files(file("a", "x"), file("a/b", "y")), POLICY));
    assertEquals("invalid_request", rejectCode(files(new JsonObject().put("path", "a").put("content", 5)), POLICY));
    assertEquals("invalid_request", rejectCode(files(file("a", "x".repeat(600_000)), file("b", "y".repeat(600_000))), POLICY));
    JsonArray many = new JsonArray();
    for (int i = 0; i <= SubmittedSource.MAX_INLINE_FILES; i++) many.add(file("f" + i, ""));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("files", many), POLICY));
  }

  @Test
  void pathMustBeUnderAConfiguredRoot(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("allowed"));
    Path inside = Files.createDirectories(root.resolve("proj"));
    Path outside = Files.createDirectories(tmp.resolve("allowed-not"));
    ScannerConfig.Sources policy = TestPolicy.sources(List.of(root.toString()));

    PathSource ok = assertInstanceOf(PathSource.class,
        SourceSpec.parseSubmitted(new JsonObject().put("path", inside.toString()), policy));
    assertEquals(inside.toRealPath(), ok.dir());
    assertEquals(ok, SourceSpec.fromJson(ok.toJson()));

    assertEquals("source_refused", rejectCode(new JsonObject().put("path", outside.toString()), policy));
    assertEquals("source_refused", rejectCode(new JsonObject().put("path", root + "/../allowed-not"), policy));
    assertEquals("source_refused", rejectCode(new JsonObject().put("path", "/etc"), policy));
    assertEquals("source_refused", rejectCode(new JsonObject().put("path", inside.toString()), TestPolicy.sources()));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("path", "relative/dir"), policy));
    assertEquals("invalid_request", rejectCode(new JsonObject().put("path", root.resolve("missing").toString()), policy));
    assertEquals("source_refused", rejectCode(new JsonObject().put("path", tmp.resolve("missing").toString()), policy));
    Files.writeString(root.resolve("file.txt"), "x");
    assertEquals("invalid_request", rejectCode(new JsonObject().put("path", root.resolve("file.txt").toString()), policy));
  }

  @Test
  void symlinkInsideRootPointingOutsideIsRefused(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("allowed"));
    Path secret = Files.createDirectories(tmp.resolve("secret"));
    Path link = Files.createSymbolicLink(root.resolve("link"), secret);
    ScannerConfig.Sources policy = TestPolicy.sources(List.of(root.toString()));
    assertEquals("source_refused", rejectCode(new JsonObject().put("path", link.toString()), policy));
  }

  @Test
  void archiveSpecsRoundTripAndDefaultTheirName(@TempDir Path tmp) {
    ArchiveSource a = new ArchiveSource(tmp.resolve("up.zip"), null);
    assertEquals("up.zip", a.displayName());
    assertEquals(a, SourceSpec.fromJson(a.toJson()));
    assertNull(new GitSource("https://github.com/a/b", null, null).toJson().getString("token"));
    assertTrue(new FilesSource(List.of(new InlineFile("a", "secret content"))).toString().contains("files=1"));
  }
}
