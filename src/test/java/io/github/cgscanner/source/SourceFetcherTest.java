package io.github.cgscanner.source;

import static io.github.cgscanner.source.Archives.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.config.ScannerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFetcherTest {
  @TempDir Path tmp;

  private Path workspace() throws IOException {
    return Files.createTempDirectory(tmp, "ws");
  }

  private FetchedSource fetch(ScannerConfig.Sources policy, Path archive) throws IOException {
    return new SourceFetcher(policy).fetch(SourceFetcher.detectArchive(archive, archive.getFileName().toString()), workspace());
  }

  private String failCode(ScannerConfig.Sources policy, Path archive) {
    return assertThrows(SourceFailure.class, () -> fetch(policy, archive)).code();
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static Map<String, byte[]> entries(Object... kv) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1] instanceof byte[] b ? b : utf8((String) kv[i + 1]));
    }
    return m;
  }

  @Test
  void zipWithOneTopDirectoryIsStripped() throws IOException {
    Path zip = Archives.zip(tmp.resolve("p.zip"),
        entries("proj-main/", "", "proj-main/src/A.java", "class A {}", "proj-main/README.md", "# r"));
    FetchedSource f = fetch(TestPolicy.sources(), zip);
    assertEquals("proj-main", f.root().getFileName().toString());
    assertEquals(List.of("README.md", "src/A.java"), tree(f.root()));
    assertEquals("archive", f.kind());
    assertEquals("p.zip", f.name());
    assertNull(f.commit());
    assertEquals("class A {}", Files.readString(f.root().resolve("src/A.java")));
  }

  @Test
  void tarGzWithSeveralTopEntriesKeepsTheRoot() throws IOException {
    Path tgz = Archives.tarGz(tmp.resolve("p.tar.gz"),
        entries("./a/B.py", "print(1)", "./c.sh", "echo", "./nested.zip", new byte[] {'P', 'K', 3, 4, 0}));
    FetchedSource f = fetch(TestPolicy.sources(), tgz);
    assertEquals("archive", f.root().getFileName().toString());
    assertEquals(List.of("a/B.py", "c.sh", "nested.zip"), tree(f.root()));
  }

  @Test
  void zipSlipIsRefused() throws IOException {
    assertEquals("invalid_archive", failCode(TestPolicy.sources(),
        Archives.zip(tmp.resolve("slip.zip"), entries("ok.txt", "x", "../evil.txt", "pwned"))));
    assertFalse(Files.exists(tmp.resolve("evil.txt")));
    assertEquals("invalid_archive", failCode(TestPolicy.sources(),
        Archives.zip(tmp.resolve("slip2.zip"), entries("a/..\\..\\evil.txt", "pwned"))));
    assertEquals("invalid_archive", failCode(TestPolicy.sources(),
        Archives.tarGz(tmp.resolve("slip.tgz"), entries("a/../../evil.txt", "pwned"))));
  }

  @Test
  void absoluteAndDriveLetterEntriesAreRefused() throws IOException {
    assertEquals("invalid_archive", failCode(TestPolicy.sources(),
        Archives.zip(tmp.resolve("abs.zip"), entries("/etc/cron.d/x", "pwned"))));
    assertEquals("invalid_archive", failCode(TestPolicy.sources(),
        Archives.zip(tmp.resolve("drive.zip"), entries("C:/Windows/x", "pwned"))));
  }

  @Test
  void archivesWithLinkEntriesAreRefusedWhole() throws IOException {
    for (String link : List.of("->/etc/passwd", "=>/etc/shadow", "->../../", "->a.txt", "=>p/a.txt")) {
      Path tgz = Archives.tarGz(tmp.resolve("links.tgz"), entries("p/a.txt", "x", "p/link", link));
      assertEquals("invalid_archive", failCode(TestPolicy.sources(), tgz), link);
    }
    for (String link : List.of("->/etc/passwd", "->a.txt")) {
      Path zip = Archives.zip(tmp.resolve("links.zip"), entries("a.txt", "x", "passwd", link));
      assertEquals("invalid_archive", failCode(TestPolicy.sources(), zip), link);
    }
  }

  @Test
  void devicesAndFifosInATarAreNeverCreated() throws IOException {
    Path tgz = Archives.tarGz(tmp.resolve("special.tgz"),
        entries("p/a.py", "print(1)", "p/pipe", "|fifo", "p/tty", "|chr", "p/disk", "|blk"));
    FetchedSource f = fetch(TestPolicy.sources(), tgz);
    assertEquals(List.of("a.py"), tree(f.root()), "only the regular file is extracted");
  }

  @Test
  void zipBombIsRefused() throws IOException {
    byte[] zeros = new byte[20 << 20];
    for (Path bomb : List.of(Archives.zip(tmp.resolve("bomb.zip"), entries("a/zeros.txt", zeros)),
        Archives.tarGz(tmp.resolve("bomb.tgz"), entries("a/zeros.txt", zeros)))) {
      SourceFailure e = assertThrows(SourceFailure.class, () -> fetch(TestPolicy.sources(), bomb));
      assertEquals("invalid_archive", e.code());
      assertTrue(e.getMessage().contains("compression ratio"), e.getMessage());
    }
  }

  @Test
  void compressibleButSmallEntriesAreFine() throws IOException {
    byte[] zeros = new byte[1 << 20];
    FetchedSource f = fetch(TestPolicy.sources(), Archives.zip(tmp.resolve("ok.zip"), entries("zeros.txt", zeros)));
    assertEquals(1 << 20, Files.size(f.root().resolve("zeros.txt")));
  }

  @Test
  void totalInflatedSizeIsCapped() throws IOException {
    byte[] random = new byte[100_000];
    new java.util.Random(1).nextBytes(random);
    Path zip = Archives.zip(tmp.resolve("big.zip"), entries("a", random, "b", random));
    assertEquals("invalid_archive", failCode(TestPolicy.withArchiveLimits(100, 150_000), zip));
  }

  @Test
  void tooManyEntriesAreRefused() throws IOException {
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) many.put("f" + i, utf8("x"));
    assertEquals("invalid_archive", failCode(TestPolicy.withArchiveLimits(5, 1 << 20), Archives.zip(tmp.resolve("m.zip"), many)));
    assertEquals("invalid_archive", failCode(TestPolicy.withArchiveLimits(5, 1 << 20), Archives.tarGz(tmp.resolve("m.tgz"), many)));
  }

  @Test
  void corruptArchivesAreInvalid() throws IOException {
    Path zip = Archives.zip(tmp.resolve("c.zip"), entries("a.txt", "hello world ".repeat(100)));
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertEquals("invalid_archive", failCode(TestPolicy.sources(), zip));
    Path gz = tmp.resolve("c.tgz");
    Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7});
    assertEquals("invalid_archive", failCode(TestPolicy.sources(), gz));
  }

  @Test
  void archivesAreRecognisedByMagicBytesOnly() throws IOException {
    Path zip = Archives.zip(tmp.resolve("named.tar.gz"), entries("a.txt", "x"));
    assertEquals("named.tar.gz", SourceFetcher.detectArchive(zip, "named.tar.gz").name());
    Path text = Files.writeString(tmp.resolve("fake.zip"), "not an archive");
    assertEquals("invalid_request",
        assertThrows(SourceRejected.class, () -> SourceFetcher.detectArchive(text, "fake.zip")).code());
    Path empty = Files.write(tmp.resolve("empty.zip"), new byte[0]);
    assertThrows(SourceRejected.class, () -> SourceFetcher.detectArchive(empty, "empty.zip"));
    FetchedSource f = new SourceFetcher(TestPolicy.sources()).fetch(new ArchiveSource(zip, null), workspace());
    assertEquals(List.of("a.txt"), tree(f.root()));
  }

  @Test
  void inlineFilesAreWrittenAndTheirTopDirStripped() throws IOException {
    FilesSource files = new FilesSource(List.of(new InlineFile("app/src/A.java", "class A {}"),
        new InlineFile("app/pom.xml", "<project/>")));
    FetchedSource f = new SourceFetcher(TestPolicy.sources()).fetch(files, workspace());
    assertEquals("app", f.root().getFileName().toString());
    assertEquals(List.of("pom.xml", "src/A.java"), tree(f.root()));
    assertEquals("files", f.kind());
    FilesSource tampered = new FilesSource(List.of(new InlineFile("../x", "y")));
    assertEquals("source_refused",
        assertThrows(SourceFailure.class, () -> new SourceFetcher(TestPolicy.sources()).fetch(tampered, workspace())).code());
  }

  @Test
  void pathSourcesAreScannedInPlace() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("proj"));
    FetchedSource f = new SourceFetcher(TestPolicy.sources()).fetch(new PathSource(dir), workspace());
    assertEquals(dir.toRealPath(), f.root());
    assertEquals("path", f.kind());
    assertEquals("source_unavailable", assertThrows(SourceFailure.class,
        () -> new SourceFetcher(TestPolicy.sources()).fetch(new PathSource(tmp.resolve("gone")), workspace())).code());
  }

  @Test
  void topDirIsNotStrippedWhenItIsAFileOrThereAreSeveral() throws IOException {
    Path single = Files.createDirectories(tmp.resolve("single"));
    Files.writeString(single.resolve("only.txt"), "x");
    assertEquals(single, SourceFetcher.commonTopDir(single));
    Path nested = Files.createDirectories(tmp.resolve("nested/top"));
    assertEquals(nested, SourceFetcher.commonTopDir(tmp.resolve("nested")));
    assertTrue(Files.isDirectory(nested));
  }
}
