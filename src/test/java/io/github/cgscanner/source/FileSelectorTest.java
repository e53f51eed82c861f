package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSelectorTest {
  @TempDir Path root;

  private void write(String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void write(String rel, byte[] content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  private static List<String> paths(List<SelectedFile> files) {
    return files.stream().map(SelectedFile::path).toList();
  }

  private Selection select(List<String> include, List<String> exclude) {
    return new FileSelector(1000).select(root, include, exclude);
  }

  @Test
  void everySkipReasonIsCounted(@TempDir Path outside) throws IOException {
    write("src/App.java", "class App {}\n");
    write("src/app.min.js", "var a=1;");
    write("src/bundle.js", "x".repeat(600));
    write("package-lock.json", "{}");
    write("logo.png", "not really a png");
    write("data.bin.txt", new byte[] {'a', 0, 'b'});
    write("huge.py", "x = 1\n".repeat(300));
    write("README.md", "# readme");
    write(".git/config", "[core]");
    write("node_modules/lib/index.js", "module.exports = 1;");
    write("vendor/x/y.go", "package y");
    write("target/classes/Gen.java", "class Gen {}");
    write("build/out.js", "x");
    write("__pycache__/m.py", "x");
    write(".gitignore", "*.log\n");
    write("debug.log", "log");
    Files.createSymbolicLink(root.resolve("link.java"), root.resolve("src/App.java"));

    Selection s = select(List.of(), List.of());

    assertEquals(List.of("src/App.java"), paths(s.review()));
    assertEquals(Map.ofEntries(
        Map.entry("binary", 2),
        Map.entry("build_output", 3),
        Map.entry("dependency_dir", 2),
        Map.entry("gitignored", 1),
        Map.entry("lockfile", 1),
        Map.entry("minified", 2),
        Map.entry("not_source", 2),
        Map.entry("symlink", 1),
        Map.entry("too_large", 1),
        Map.entry("vcs", 1)), s.skipped());
    assertEquals(List.of(".gitignore", "README.md", "package-lock.json", "src/app.min.js", "src/bundle.js"),
        paths(s.localOnly()));
    assertEquals(List.of("__pycache__/m.py", "build/out.js", "debug.log", "huge.py", "node_modules/lib/index.js",
        "target/classes/Gen.java", "vendor/x/y.go"), paths(s.secretsOnly()), "every other text file but .git/");
    assertEquals(12, s.secretsCheckedNotSelected());
    assertEquals(17, s.review().size() + s.skippedTotal(), "every file counted once");
  }

  @Test
  void skipRulesKeepFilesFromReviewNotFromTheSecretsCheck() throws IOException {
    write("src/App.java", "class App {}\n");
    write("src/Generated.java", "class Generated {}\n");
    write("third_party/lib.py", "TOKEN = 'x'\n");
    write("vendor/github.com/acme/client.go", "package client\n");
    write("vendor/blob.bin", new byte[] {1, 0, 2});
    write("vendor/empty.txt", "");
    write(".git/hooks/pre-commit", "#!/bin/sh\n");
    write(".gitignore", "src/Generated.java\n");

    Selection s = select(List.of(), List.of("third_party/**"));

    assertEquals(List.of("src/App.java"), paths(s.review()));
    assertEquals(List.of("src/Generated.java", "third_party/lib.py", "vendor/github.com/acme/client.go"), paths(s.secretsOnly()));
  }

  @Test
  void theSecretsCheckReadsFilesTooLargeForReviewUpToItsOwnLimit() throws IOException {
    write("big.py", "x = 1\n".repeat(400));
    Path huge = root.resolve("huge.sql");
    try (var out = Files.newOutputStream(huge)) {
      byte[] line = "insert into t values (1);\n".getBytes();
      for (long n = 0; n <= FileSelector.SECRETS_MAX_BYTES / line.length; n++) out.write(line);
    }
    Selection s = select(List.of(), List.of());
    assertEquals(List.of("big.py"), paths(s.secretsOnly()));
    assertEquals(2, s.skipped().get("too_large"));
  }

  @Test
  void gitignoreRulesAtAnyDepthWithNegationAnchoringAndDirectories() throws IOException {
    write(".gitignore", "# comment\n*.gen.java\n!keep.gen.java\n/Root.java\nlogs/\nsecret?.py\n[ab]x.py\ndocs/**/*.js\n");
    write("Root.java", "class Root {}");
    write("sub/Root.java", "class Root {}");
    write("a.gen.java", "x");
    write("deep/keep.gen.java", "x");
    write("logs/app.py", "x");
    write("sub/logs/b.py", "x");
    write("secret1.py", "x");
    write("secret10.py", "x");
    write("ax.py", "x");
    write("cx.py", "x");
    write("docs/a/b/c.js", "x");
    write("docs/top.js", "x");
    write("sub/.gitignore", "*.py\n!keep.py\n");
    write("sub/drop.py", "x");
    write("sub/keep.py", "x");
    write("other/drop.py", "x");

    Selection s = select(List.of(), List.of());

    assertEquals(List.of("cx.py", "deep/keep.gen.java", "other/drop.py", "secret10.py", "sub/Root.java", "sub/keep.py"),
        paths(s.review()));
    // a/**/b also matches a/b, so docs/top.js is ignored too
    assertEquals(9, s.skipped().get("gitignored"));
  }

  @Test
  void includeAndExcludeGlobs() throws IOException {
    write("src/main/A.java", "class A {}");
    write("src/main/deep/B.java", "class B {}");
    write("src/test/ATest.java", "class ATest {}");
    write("scripts/run.py", "print(1)");
    write("tools/x/gen.py", "print(1)");
    write("web/app.ts", "let a = 1;");

    assertEquals(List.of("src/main/A.java", "src/main/deep/B.java", "src/test/ATest.java"),
        paths(select(List.of("src/**/*.java"), List.of()).review()));
    assertEquals(List.of("scripts/run.py", "tools/x/gen.py"), paths(select(List.of("*.py"), List.of()).review()));
    Selection s = select(List.of(), List.of("src/test", "*.ts"));
    assertEquals(List.of("scripts/run.py", "src/main/A.java", "src/main/deep/B.java", "tools/x/gen.py"), paths(s.review()));
    assertEquals(2, s.skipped().get("excluded"));
    Selection both = select(List.of("src/**"), List.of("**/deep/**"));
    assertEquals(List.of("src/main/A.java", "src/test/ATest.java"), paths(both.review()));
    assertEquals(4, both.skipped().get("excluded"));
    assertTrue(both.localOnly().isEmpty());
  }

  @Test
  void sourceRecognitionBeyondExtensions() throws IOException {
    write("Dockerfile", "FROM alpine");
    write("Makefile", "all:\n\techo");
    write("Jenkinsfile", "pipeline {}");
    write("bin-scripts/deploy", "#!/bin/sh\necho hi\n");
    write("infra/main.tf", "resource \"x\" \"y\" {}");
    write(".github/workflows/ci.yml", "on: push");
    write("k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
    write("config/app.yml", "server:\n  port: 8080\n");
    write("config/app.properties", "password=hunter2");
    write(".env", "API_KEY=abc");
    write("certs/server.pem", "-----BEGIN PRIVATE KEY-----");
    write("notes", "just text");

    Selection s = select(List.of(), List.of());

    assertEquals(List.of(".github/workflows/ci.yml", "Dockerfile", "Jenkinsfile", "Makefile", "bin-scripts/deploy",
        "infra/main.tf", "k8s/deploy.yaml"), paths(s.review()));
    assertEquals(List.of(".env", "certs/server.pem", "config/app.properties", "config/app.yml", "notes"),
        paths(s.localOnly()));
  }

  @Test
  void symlinksAreNeverFollowed(@TempDir Path outside) throws IOException {
    Files.writeString(outside.resolve("secret.java"), "class Secret {}");
    Files.createDirectories(outside.resolve("dir"));
    Files.writeString(outside.resolve("dir/Other.java"), "class Other {}");
    write("src/A.java", "class A {}");
    Files.createSymbolicLink(root.resolve("src/secret.java"), outside.resolve("secret.java"));
    Files.createSymbolicLink(root.resolve("linked-dir"), outside.resolve("dir"));
    Files.createSymbolicLink(root.resolve("loop"), root);
    Files.createSymbolicLink(root.resolve(".gitignore"), outside.resolve("secret.java"));

    Selection s = select(List.of(), List.of());

    assertEquals(List.of("src/A.java"), paths(s.review()));
    assertTrue(s.localOnly().isEmpty());
    assertEquals(Map.of("symlink", 4), s.skipped());
  }

  @Test
  void sizesAndAbsoluteFilesAreReported() throws IOException {
    write("a/B.kt", "fun main() {}");
    SelectedFile f = select(List.of(), List.of()).review().get(0);
    assertEquals("a/B.kt", f.path());
    assertEquals(13, f.size());
    assertEquals(root.resolve("a/B.kt"), f.file());
    assertFalse(f.path().contains("\\"));
  }
}
