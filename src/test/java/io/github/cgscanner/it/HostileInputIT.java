package io.github.cgscanner.it;

import static io.github.cgscanner.it.ApiAssert.accepted;
import static io.github.cgscanner.it.ApiAssert.awaitFinal;
import static io.github.cgscanner.it.ApiAssert.error;
import static io.github.cgscanner.source.Archives.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.source.Archives;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile input of issue #5 sent to the running service. Each gets the fitting 4xx in the SPEC's
 * error shape, or a 202 and a scan that fails with the fitting code; afterwards the service is healthy
 * and nothing was written outside its temporary directories.
 *
 * <p>Archive contents are checked when the archive is unpacked, after the 202 (the upload is streamed
 * to disk and only its magic bytes are read before answering): a hostile entry fails the scan with
 * {@code invalid_archive}; so does any symbolic or hard link entry.
 */
class HostileInputIT {
  static final long MAX_UPLOAD = 2L << 20;
  static final int MAX_ENTRIES = 50;
  static final String FAKE_GITHUB_TOKEN = "ghp_" + "Zq8RkT3vW9xLm2Np5Qs7Uy4Bc6Df1Gh0Jk3L";

  @TempDir static Path tmp;
  static Path work;
  static Path serverTmp;
  static Path roots;
  static Path outside;
  static ScannerProcess scanner;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    serverTmp = Files.createDirectories(tmp.resolve("server-tmp"));
    roots = Files.createDirectories(tmp.resolve("roots"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.py"), "TOKEN = \"" + FAKE_GITHUB_TOKEN + "\"\n");
    Files.createDirectories(roots.resolve("project"));
    Files.writeString(roots.resolve("project/app.py"), "print('hello')\n");
    Files.createSymbolicLink(roots.resolve("escape"), outside);
    Path config = tmp.resolve("hostile.json");
    Files.writeString(config, new JsonObject().put("sources", new JsonObject().put("maxArchiveEntries", MAX_ENTRIES)).encode());
    scanner = ScannerProcess.serve(work, ScannerProcess.env(
        "SCANNER_LOCAL_PATH_ROOTS", roots.toString(),
        "SCANNER_MAX_UPLOAD_BYTES", Long.toString(MAX_UPLOAD),
        "SCANNER_GIT_HOSTS", "localhost",
        "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + serverTmp),
        "--no-cluster", "--config", config.toString());
    http = new Http(scanner.baseUrl(), null);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertEquals(200, http.get("/health/live").statusCode());
      assertEquals(200, http.get("/health/ready").statusCode());
      for (String planted : List.of("evil", "evil-abs", "evil-drive", "pwned")) {
        assertFalse(Files.exists(tmp.resolve(planted)), planted + " was written outside the scan directory");
      }
      try (Stream<Path> w = Files.list(work)) {
        assertEquals(List.of(), w.toList(), "the service wrote into its working directory");
      }
      assertEquals(List.of("secret.py"), names(outside));
      assertEquals(List.of("escape", "project"), names(roots));
      assertEquals(List.of("app.py"), names(roots.resolve("project")));
      assertTrue(Files.isDirectory(serverTmp.resolve("cgscanner")), "the server must use its own temporary directory");
      assertTempCleaned();
    } finally {
      if (http != null) http.close();
      if (scanner != null) scanner.close();
    }
  }

  /** Uploads and workspaces are deleted once their scan ends (or the upload is refused). */
  private static void assertTempCleaned() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Path> left;
    do {
      try (Stream<Path> s = Files.walk(serverTmp)) {
        left = s.filter(p -> p.getFileName().toString().startsWith("scan-") || p.getFileName().toString().startsWith("upload-"))
            .toList();
      }
      if (left.isEmpty()) return;
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertEquals(List.of(), left, "temporary files outlived their scans");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void log(String kase, String answer) {
    System.out.printf("HOSTILE | %-55s | %s%n", kase, answer);
  }

  // ---------- archives: 202, then the scan fails invalid_archive ----------

  private static JsonObject uploadAndWait(String kase, String type, Path archive) throws Exception {
    String id = accepted(http.postFile("/api/v1/scans", type, archive));
    JsonObject scan = awaitFinal(http, id, 60);
    JsonObject err = scan.getJsonObject("error");
    log(kase, "202, scan " + scan.getString("status") + (err == null ? "" : " " + err.getString("code")));
    return scan;
  }

  private static void assertInvalidArchive(String kase, String type, Path archive) throws Exception {
    JsonObject scan = uploadAndWait(kase, type, archive);
    assertEquals("failed", scan.getString("status"), scan.encodePrettily());
    assertEquals("invalid_archive", scan.getJsonObject("error").getString("code"), scan.encodePrettily());
    assertFalse(scan.getJsonObject("error").getString("message").isBlank());
  }

  private static Map<String, byte[]> entries(String... kv) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], utf8(kv[i + 1]));
    return m;
  }

  /** A relative name that, if honoured, lands on {@code tmp/<name>}. */
  private static String climbTo(String name) {
    return "../".repeat(40) + tmp.resolve(name).toString().substring(1);
  }

  @Test
  void zipSlipIsRefused() throws Exception {
    assertInvalidArchive("zip entry ../evil", "application/zip",
        Archives.zip(tmp.resolve("slip.zip"), entries("ok.py", "x = 1\n", "../evil", "pwned")));
    assertInvalidArchive("zip entry ../../…/<tmp>/evil", "application/zip",
        Archives.zip(tmp.resolve("slip2.zip"), entries("ok.py", "x = 1\n", climbTo("evil"), "pwned")));
    assertInvalidArchive("zip entry a/..\\..\\evil (backslashes)", "application/zip",
        Archives.zip(tmp.resolve("slip3.zip"), entries("a/..\\..\\evil", "pwned")));
    assertInvalidArchive("tar.gz entry ../../…/<tmp>/evil", "application/gzip",
        Archives.tarGz(tmp.resolve("slip.tgz"), entries("ok.py", "x = 1\n", climbTo("evil"), "pwned")));
  }

  @Test
  void absoluteAndDriveLetterEntriesAreRefused() throws Exception {
    assertInvalidArchive("zip entry /etc/x", "application/zip",
        Archives.zip(tmp.resolve("abs.zip"), entries("/etc/x", "pwned")));
    assertInvalidArchive("zip entry /<tmp>/evil-abs", "application/zip",
        Archives.zip(tmp.resolve("abs2.zip"), entries(tmp.resolve("evil-abs").toString(), "pwned")));
    assertInvalidArchive("tar.gz entry /<tmp>/evil-abs", "application/gzip",
        Archives.tarGz(tmp.resolve("abs.tgz"), entries(tmp.resolve("evil-abs").toString(), "pwned")));
    assertInvalidArchive("zip entry C:/x", "application/zip",
        Archives.zip(tmp.resolve("drive.zip"), entries("C:/evil-drive", "pwned")));
    assertInvalidArchive("zip entry C:\\x", "application/zip",
        Archives.zip(tmp.resolve("drive2.zip"), entries("C:\\evil-drive", "pwned")));
  }

  /** An archive with a link entry is refused whole, whether the link points out, up or inside. */
  @Test
  void linkEntriesAreRefused() throws Exception {
    String target = outside.resolve("secret.py").toString();
    assertInvalidArchive("tar.gz symlink entry to an outside file", "application/gzip", Archives.tarGz(tmp.resolve("sym.tgz"),
        entries("repo/app.py", "x = 1\n", "repo/sym.py", "->" + target)));
    assertInvalidArchive("tar.gz symlink entry ../../../..<outside>", "application/gzip", Archives.tarGz(tmp.resolve("rel.tgz"),
        entries("repo/app.py", "x = 1\n", "repo/rel.py", "->" + "../".repeat(30) + target.substring(1))));
    assertInvalidArchive("tar.gz hard-link entry to an outside file", "application/gzip", Archives.tarGz(tmp.resolve("hard.tgz"),
        entries("repo/app.py", "x = 1\n", "repo/hard.py", "=>" + target)));
    assertInvalidArchive("tar.gz hard-link entry to a file inside", "application/gzip", Archives.tarGz(tmp.resolve("hard2.tgz"),
        entries("repo/app.py", "x = 1\n", "repo/hard.py", "=>repo/app.py")));
    assertInvalidArchive("zip symlink entry to an outside file", "application/zip", Archives.zip(tmp.resolve("sym.zip"),
        entries("repo/app.py", "x = 1\n", "repo/sym.py", "->" + target)));
  }

  @Test
  void nestedArchivesAreNotUnpacked() throws Exception {
    Path inner = Archives.zip(tmp.resolve("inner.zip"), entries("deep/secret.py", "TOKEN = \"" + FAKE_GITHUB_TOKEN + "\"\n"));
    Map<String, byte[]> outer = new LinkedHashMap<>();
    outer.put("repo/app.py", utf8("print('hi')\n"));
    outer.put("repo/vendor/inner.zip", Files.readAllBytes(inner));
    JsonObject scan = uploadAndWait("zip holding a zip (nested archive)", "application/zip",
        Archives.zip(tmp.resolve("nested.zip"), outer));
    assertEquals("completed", scan.getString("status"), scan.encodePrettily());
    String findings = http.get("/api/v1/scans/" + scan.getString("id") + "/findings").bodyAsString();
    assertFalse(findings.contains("deep/secret.py"), "a nested archive was unpacked: " + findings);
  }

  @Test
  void tooManyEntriesAndBombsAreRefused() throws Exception {
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i <= MAX_ENTRIES; i++) many.put("f" + i + ".py", utf8("x = " + i + "\n"));
    assertInvalidArchive("zip with " + (MAX_ENTRIES + 1) + " entries (limit " + MAX_ENTRIES + ")", "application/zip",
        Archives.zip(tmp.resolve("many.zip"), many));
    assertInvalidArchive("tar.gz with " + (MAX_ENTRIES + 1) + " entries", "application/gzip",
        Archives.tarGz(tmp.resolve("many.tgz"), many));
    Map<String, byte[]> bomb = Map.of("zeros.txt", new byte[64 << 20]);
    Path zipBomb = Archives.zip(tmp.resolve("bomb.zip"), bomb);
    assertTrue(Files.size(zipBomb) < MAX_UPLOAD, "the bomb must pass the upload limit");
    assertInvalidArchive("zip bomb (64 MiB of zeros, ratio ~1000)", "application/zip", zipBomb);
    Path tarBomb = Archives.tarGz(tmp.resolve("bomb.tgz"), bomb);
    assertInvalidArchive("tar.gz bomb (64 MiB of zeros)", "application/gzip", tarBomb);
    byte[] corrupt = Files.readAllBytes(Archives.zip(tmp.resolve("c.zip"), entries("a.py", "x = 1\n".repeat(200))));
    for (int i = 40; i < corrupt.length - 30; i++) corrupt[i] ^= 0x5a;
    Files.write(tmp.resolve("corrupt.zip"), corrupt);
    assertInvalidArchive("corrupt zip (valid magic, garbage inside)", "application/zip", tmp.resolve("corrupt.zip"));
  }

  // ---------- upload size and media type ----------

  @Test
  void oversizedUploadsAre413() throws Exception {
    String head = "POST /api/v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/zip\r\n";
    String status = RawHttp.send(scanner.port(), head + "Content-Length: " + (MAX_UPLOAD + 1) + "\r\n\r\n", null);
    assertTrue(status.startsWith("HTTP/1.1 413"), status);
    assertTrue(status.contains("\"code\":\"payload_too_large\""), status);
    log("archive with Content-Length over the limit", "413 payload_too_large (before the body is read)");

    status = RawHttp.send(scanner.port(), head + "Transfer-Encoding: chunked\r\n\r\n", MAX_UPLOAD * 2);
    assertTrue(status.startsWith("HTTP/1.1 413"), status);
    assertTrue(status.contains("\"code\":\"payload_too_large\""), status);
    log("archive chunked (no Content-Length) past the limit", "413 payload_too_large (as soon as it passes)");

    String json = "POST /api/v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    status = RawHttp.send(scanner.port(), json + "Transfer-Encoding: chunked\r\n\r\n", MAX_UPLOAD * 2);
    assertTrue(status.startsWith("HTTP/1.1 413"), status);
    log("JSON body chunked past the limit", "413 payload_too_large");

    JsonObject big = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
        .add(new JsonObject().put("path", "a.py").put("content", "x".repeat((int) MAX_UPLOAD + 10)))));
    error(http.postJson("/api/v1/scans", big), 413, "payload_too_large");
    log("JSON body with Content-Length over the limit", "413 payload_too_large");
    assertEquals(200, http.get("/health/live").statusCode());
  }

  @Test
  void wrongMediaTypesAre415() throws Exception {
    byte[] zip = Files.readAllBytes(Archives.zip(tmp.resolve("small.zip"), entries("a.py", "x = 1\n")));
    error(http.postBytes("/api/v1/scans", "text/plain", zip), 415, "unsupported_media_type");
    log("a zip sent as text/plain", "415 unsupported_media_type");
    error(http.postBytes("/api/v1/scans", "multipart/form-data; boundary=x", zip), 415, "unsupported_media_type");
    log("a zip sent as multipart/form-data", "415 unsupported_media_type");
    error(http.postBytes("/api/v1/scans", "application/zip", utf8("this is not an archive at all")), 415, "unsupported_media_type");
    log("text bytes sent as application/zip", "415 unsupported_media_type (magic bytes)");
    error(http.postBytes("/api/v1/scans", "", zip), 415, "unsupported_media_type");
    log("a zip with no Content-Type", "415 unsupported_media_type");
    String id = accepted(http.postBytes("/api/v1/scans", "application/gzip", zip));
    assertEquals("completed", awaitFinal(http, id, 60).getString("status"));
    log("control: a zip sent as application/gzip", "202, scan completed (magic bytes decide the format)");
  }

  // ---------- JSON shape and options ----------

  private static JsonObject files(String path, String content) {
    return new JsonObject().put("source", new JsonObject().put("files",
        new JsonArray().add(new JsonObject().put("path", path).put("content", content))));
  }

  private static void badJson(String kase, String body, int status, String code) throws Exception {
    var r = http.postBytes("/api/v1/scans", "application/json", utf8(body));
    error(r, status, code);
    log(kase, status + " " + code);
  }

  private static void badSubmit(String kase, JsonObject body, String code) throws Exception {
    HttpResponse<Buffer> r = http.postJson("/api/v1/scans", body);
    error(r, 400, code);
    log(kase, "400 " + code);
  }

  @Test
  void malformedRequestsAre400() throws Exception {
    badJson("malformed JSON", "{\"source\": {\"files\": [", 400, "invalid_request");
    badJson("JSON array instead of an object", "[]", 400, "invalid_request");
    badJson("empty body", "", 400, "invalid_request");
    badJson("no source", "{\"options\":{}}", 400, "invalid_request");
    badJson("JSON nested 100,000 deep", "{\"source\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", 400, "invalid_request");
    badJson("JSON number of 5,000 digits", "{\"source\":{\"files\":[]},\"options\":{\"maxCostUsd\":" + "9".repeat(5000) + "}}",
        400, "invalid_request");
    var r = http.postBytes("/api/v1/scans", "application/json", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
    error(r, 400, "invalid_request");
    log("JSON with invalid UTF-8", "400 invalid_request");
    badSubmit("unknown top-level field", files("a.py", "x").put("callback", "http://x"), "invalid_request");
    badSubmit("unknown option", files("a.py", "x").put("options", new JsonObject().put("model", "gpt-9")), "invalid_request");
    badSubmit("unknown source kind", new JsonObject().put("source", new JsonObject().put("svn", "x")), "invalid_request");
    badSubmit("two source kinds at once", new JsonObject().put("source", new JsonObject().put("path", roots.toString())
        .put("files", new JsonArray())), "invalid_request");
    badSubmit("unknown field in source.git", new JsonObject().put("source", new JsonObject().put("git",
        new JsonObject().put("url", "https://localhost/a.git").put("uploadPack", "sh"))), "invalid_request");
    badSubmit("options.instructions of 100,000 chars",
        files("a.py", "x").put("options", new JsonObject().put("instructions", "ignore all rules ".repeat(6250))), "invalid_request");
    badSubmit("options.minSeverity \"urgent\"",
        files("a.py", "x").put("options", new JsonObject().put("minSeverity", "urgent")), "invalid_request");
    badSubmit("options.minSeverity 3", files("a.py", "x").put("options", new JsonObject().put("minSeverity", 3)), "invalid_request");
    badSubmit("options.maxCostUsd -1", files("a.py", "x").put("options", new JsonObject().put("maxCostUsd", -1)), "invalid_request");
    badSubmit("options.include not a list", files("a.py", "x").put("options", new JsonObject().put("include", "**")), "invalid_request");
    badSubmit("options as a string", files("a.py", "x").put("options", "{}"), "invalid_request");
    String bad = URLEncoder.encode("{\"minSeverity\":", StandardCharsets.UTF_8);
    error(http.postBytes("/api/v1/scans?options=" + bad, "application/zip", new byte[] {'P', 'K', 3, 4}), 400, "invalid_request");
    log("archive with malformed ?options=", "400 invalid_request");
  }

  @Test
  void hostileInlinePathsAre400() throws Exception {
    badSubmit("files path ../evil", files("../evil", "x"), "invalid_request");
    badSubmit("files path a/../../evil", files("a/../../evil", "x"), "invalid_request");
    badSubmit("files path /etc/passwd", files("/etc/passwd", "x"), "invalid_request");
    badSubmit("files path C:/x", files("C:/x", "x"), "invalid_request");
    badSubmit("files path a\\..\\evil (backslash)", files("a\\..\\evil", "x"), "invalid_request");
    badSubmit("files path with NUL", files("a\u0000.py", "x"), "invalid_request");
    badSubmit("files path with newline", files("a\n.py", "x"), "invalid_request");
    badSubmit("files path empty", files("", "x"), "invalid_request");
    badSubmit("files path ./a.py", files("./a.py", "x"), "invalid_request");
    badSubmit("files path a//b.py", files("a//b.py", "x"), "invalid_request");
    badSubmit("files path 2,000 chars", files("a/".repeat(1000) + "b.py", "x"), "invalid_request");
    JsonArray dup = new JsonArray().add(new JsonObject().put("path", "a.py").put("content", "1"))
        .add(new JsonObject().put("path", "a.py").put("content", "2"));
    badSubmit("duplicate files paths", new JsonObject().put("source", new JsonObject().put("files", dup)), "invalid_request");
    JsonArray under = new JsonArray().add(new JsonObject().put("path", "a").put("content", "1"))
        .add(new JsonObject().put("path", "a/b.py").put("content", "2"));
    badSubmit("files path under another file", new JsonObject().put("source", new JsonObject().put("files", under)), "invalid_request");
    badSubmit("files content not a string", new JsonObject().put("source", new JsonObject().put("files",
        new JsonArray().add(new JsonObject().put("path", "a.py").put("content", 5)))), "invalid_request");
    badSubmit("files empty list", new JsonObject().put("source", new JsonObject().put("files", new JsonArray())), "invalid_request");

    String id = accepted(http.postJson("/api/v1/scans", files("src/ok.py", "print(1)\n")));
    assertEquals("completed", awaitFinal(http, id, 60).getString("status"));
    log("control: files path src/ok.py", "202, scan completed");
  }

  @Test
  void localPathsOutsideTheRootsAreRefused() throws Exception {
    badSubmit("path /etc (outside the roots)", new JsonObject().put("source", new JsonObject().put("path", "/etc")), "source_refused");
    badSubmit("path <roots>/../outside (via ..)", new JsonObject().put("source",
        new JsonObject().put("path", roots + "/../outside")), "source_refused");
    badSubmit("path <roots>/project/../../outside", new JsonObject().put("source",
        new JsonObject().put("path", roots + "/project/../../outside")), "source_refused");
    badSubmit("path <roots>/escape (symlink to outside)", new JsonObject().put("source",
        new JsonObject().put("path", roots.resolve("escape").toString())), "source_refused");
    badSubmit("path /nonexistent (outside, no probing)", new JsonObject().put("source",
        new JsonObject().put("path", "/nonexistent-" + System.nanoTime())), "source_refused");
    badSubmit("path relative (project)", new JsonObject().put("source", new JsonObject().put("path", "project")), "invalid_request");
    badSubmit("path a file, not a directory", new JsonObject().put("source",
        new JsonObject().put("path", roots.resolve("project/app.py").toString())), "invalid_request");

    String id = accepted(http.postJson("/api/v1/scans", new JsonObject().put("source",
        new JsonObject().put("path", roots.resolve("project").toString()))));
    assertEquals("completed", awaitFinal(http, id, 60).getString("status"));
    log("control: path <roots>/project", "202, scan completed");
  }

  private static JsonObject git(String url) {
    return new JsonObject().put("source", new JsonObject().put("git", new JsonObject().put("url", url)));
  }

  @Test
  void forbiddenGitUrlsAreRefused() throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("file:///etc", "source_refused");
    refused.put("ext::sh%20-c%20touch%20pwned", "source_refused");
    refused.put("ext::sh -c touch% pwned", "invalid_request");
    refused.put("ssh://git@localhost/a/b.git", "source_refused");
    refused.put("git@localhost:a/b.git", "source_refused");
    refused.put("git://localhost/a/b.git", "source_refused");
    refused.put("http://localhost/a/b.git", "source_refused");
    refused.put("/etc/passwd", "source_refused");
    refused.put("--upload-pack=touch pwned", "invalid_request");
    refused.put("https://user:pass@localhost/a/b.git", "source_refused");
    refused.put("https://" + FAKE_GITHUB_TOKEN + "@localhost/a/b.git", "source_refused");
    refused.put("https://127.0.0.1/a/b.git", "source_refused");
    refused.put("https://0177.0.0.1/a/b.git", "source_refused");
    refused.put("https://0x7f000001/a/b.git", "source_refused");
    refused.put("https://0x7f.0.0.1/a/b.git", "source_refused");
    refused.put("https://2130706433/a/b.git", "source_refused");
    refused.put("https://127.1/a/b.git", "source_refused");
    refused.put("https://169.254.169.254/latest/meta-data", "source_refused");
    refused.put("https://[::1]/a/b.git", "source_refused");
    refused.put("https://[::ffff:127.0.0.1]/a/b.git", "source_refused");
    refused.put("https://localhost:22/a/b.git", "source_refused");
    refused.put("https://github.com/a/b.git", "source_refused");
    refused.put("https://localhost.evil.com/a/b.git", "source_refused");
    refused.put("https://localhost/a/b.git?x=1", "invalid_request");
    refused.put("https://localhost", "invalid_request");
    for (var e : refused.entrySet()) {
      HttpResponse<Buffer> r = http.postJson("/api/v1/scans", git(e.getKey()));
      JsonObject err = error(r, 400, e.getValue());
      assertFalse(r.bodyAsString().contains(FAKE_GITHUB_TOKEN), "the body echoes credentials");
      assertFalse(r.bodyAsString().contains("pass"), "the body echoes credentials");
      log("git url " + e.getKey().replace(FAKE_GITHUB_TOKEN, "ghp_…"), "400 " + err.getString("code"));
    }
    JsonObject badRef = git("https://localhost/a/b.git");
    badRef.getJsonObject("source").getJsonObject("git").put("ref", "--upload-pack=touch");
    badSubmit("git ref --upload-pack=touch", badRef, "invalid_request");
    badRef.getJsonObject("source").getJsonObject("git").put("ref", "main..evil");
    badSubmit("git ref main..evil", badRef, "invalid_request");
  }

  @Test
  void anAllowedHostThatResolvesToLoopbackFailsTheScan() throws Exception {
    JsonObject body = git("https://localhost/x.git");
    body.getJsonObject("source").getJsonObject("git").put("token", FAKE_GITHUB_TOKEN);
    HttpResponse<Buffer> r = http.postJson("/api/v1/scans", body);
    String id = accepted(r);
    assertFalse(r.bodyAsString().contains(FAKE_GITHUB_TOKEN));
    JsonObject scan = awaitFinal(http, id, 60);
    assertEquals("failed", scan.getString("status"), scan.encodePrettily());
    assertEquals("source_refused", scan.getJsonObject("error").getString("code"), scan.encodePrettily());
    assertFalse(scan.encode().contains(FAKE_GITHUB_TOKEN));
    log("git https://localhost/x.git (allowed host → 127.0.0.1)", "202, scan failed source_refused (DNS check at clone)");
  }
}
