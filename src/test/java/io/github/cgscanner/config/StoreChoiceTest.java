package io.github.cgscanner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreChoiceTest {
  @TempDir Path tmp;

  static ScannerConfig.Store store(Map<String, String> env) {
    return ConfigLoader.load(null, env, Map.of()).store();
  }

  @Test
  void serveTakesPostgresWithAUrlTheEmbeddedDatabaseAloneAndRefusesAClusterWithNeither() {
    ScannerConfig.Store alone = StoreChoice.forServe(store(Map.of()), false);
    assertEquals("embedded", alone.kind());
    assertEquals(Path.of("data"), alone.dataDir());
    ScannerConfig.Store pg = StoreChoice.forServe(store(Map.of("SCANNER_DB_URL", "postgresql://db.internal:5432/scanner?sslmode=verify-full",
        "SCANNER_DB_USER", "scanner")), true);
    assertEquals("postgres", pg.kind());
    assertEquals("jdbc:postgresql://db.internal:5432/scanner?sslmode=verify-full", pg.url());
    assertEquals("memory", StoreChoice.forServe(store(Map.of("SCANNER_STORE", "memory")), true).kind());
    ConfigException neither = assertThrows(ConfigException.class, () -> StoreChoice.forServe(store(Map.of()), true));
    assertTrue(neither.getMessage().contains("SCANNER_DB_URL") && neither.getMessage().contains("SCANNER_STORE=memory"), neither.getMessage());
    assertFalse(neither.getMessage().contains("\n"), "one line");
    assertThrows(ConfigException.class, () -> StoreChoice.forServe(store(Map.of("SCANNER_STORE", "embedded")), true));
    assertThrows(ConfigException.class, () -> StoreChoice.forServe(store(Map.of("SCANNER_STORE", "postgres")), false));
    assertThrows(ConfigException.class, () -> store(Map.of("SCANNER_STORE", "mysql")));
  }

  @Test
  void scanUsesOnlyTheEmbeddedDatabaseWhateverTheUrlSays() {
    ScannerConfig.Store s = StoreChoice.forScanCommand(store(Map.of("SCANNER_DB_URL", "postgresql://h/db")), null,
        Map.of("XDG_DATA_HOME", "/x/share", "HOME", "/home/u"));
    assertEquals("embedded", s.kind());
    assertEquals(Path.of("/x/share/chatgpt-security-scanner"), s.dataDir());
    assertFalse(s.dataDirExplicit());
    assertEquals(Path.of("/home/u/.local/share/chatgpt-security-scanner"),
        StoreChoice.forScanCommand(store(Map.of()), null, Map.of("HOME", "/home/u")).dataDir());
    ScannerConfig.Store flag = StoreChoice.forScanCommand(store(Map.of("SCANNER_DATA_DIR", "/env")), Path.of("/flag"), Map.of());
    assertEquals(Path.of("/flag"), flag.dataDir());
    assertTrue(flag.dataDirExplicit());
    assertTrue(StoreChoice.forScanCommand(store(Map.of("SCANNER_DATA_DIR", "/env")), null, Map.of()).dataDirExplicit());
    assertEquals("memory", StoreChoice.forScanCommand(store(Map.of("SCANNER_STORE", "memory")), null, Map.of()).kind());
  }

  @Test
  void aPasswordInTheUrlIsRefusedAndNeverRepeated() {
    for (String url : new String[] {"postgresql://scanner:s3cret-pw@db:5432/scanner", "jdbc:postgresql://db/scanner?user=a&password=s3cret-pw",
        "postgres://db/scanner?sslmode=require&sslpassword=s3cret-pw"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> store(Map.of("SCANNER_DB_URL", url)));
      assertTrue(e.getMessage().contains("SCANNER_DB_PASSWORD"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
    }
    ConfigException notPg = assertThrows(ConfigException.class, () -> store(Map.of("SCANNER_DB_URL", "mysql://u:s3cret-pw@h/db")));
    assertFalse(notPg.getMessage().contains("s3cret-pw"), notPg.getMessage());
    assertEquals("alice", store(Map.of("SCANNER_DB_URL", "postgresql://alice@db/scanner")).user(), "a user in the URL is fine");
  }

  @Test
  void thePasswordComesFromItsFileAndNeverShowsInToString() throws Exception {
    Path file = tmp.resolve("pw");
    Files.writeString(file, "file-pw-123\n");
    ScannerConfig.Store s = store(Map.of("SCANNER_DB_URL", "postgresql://db/scanner", "SCANNER_DB_PASSWORD", "env-pw",
        "SCANNER_DB_PASSWORD_FILE", file.toString(), "SCANNER_DB_POOL_SIZE", "3"));
    assertEquals("file-pw-123", s.password());
    assertEquals(3, s.poolSize());
    assertEquals(Duration.ofMinutes(2), s.maxOutage());
    assertTrue(s.keepLatestPerProject());
    assertFalse(s.toString().contains("file-pw-123"), s.toString());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> store(Map.of("SCANNER_DB_PASSWORD_FILE", tmp.resolve("nope").toString())));
    assertTrue(missing.getMessage().contains("SCANNER_DB_PASSWORD_FILE"), missing.getMessage());
    assertThrows(ConfigException.class, () -> store(Map.of("SCANNER_DB_POOL_SIZE", "0")));
  }

  @Test
  void anUnwritableDirectoryIsOneClearLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    ConfigException e = assertThrows(ConfigException.class, () -> StoreChoice.requireWritable(file.resolve("sub")));
    assertTrue(e.getMessage().contains("SCANNER_DATA_DIR"), e.getMessage());
    StoreChoice.requireWritable(tmp.resolve("new/dir"));
    assertTrue(Files.isDirectory(tmp.resolve("new/dir")));
  }
}
