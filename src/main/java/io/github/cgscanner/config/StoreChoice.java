package io.github.cgscanner.config;

import io.github.cgscanner.config.ScannerConfig.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which store a command uses (SPEC "State lives in a store"): {@code serve} takes PostgreSQL when a URL
 * is set, else the embedded database standalone, and refuses to run clustered on neither; {@code scan}
 * uses only the embedded database (or memory when asked), whatever {@code SCANNER_DB_URL} says.
 */
public final class StoreChoice {
  /** {@code [jdbc:]postgres[ql]://[user[:password]@]host[:port]/database[?parameters]} */
  private static final Pattern URL = Pattern.compile(
      "(?i)(?:jdbc:)?postgres(?:ql)?://(?:(?<user>[^:@/?#]*)(?<password>:[^@/?#]*)?@)?(?<host>[^@/?#]+)/(?<db>[^/?#]+)(?<query>\\?[^#]*)?");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(^|[?&])(password|sslpassword)=");

  private StoreChoice() {}

  public static Store forServe(Store s, boolean clustered) {
    String kind = s.kind();
    if (kind == null) kind = !s.url().isEmpty() ? Store.POSTGRES : clustered ? null : Store.EMBEDDED;
    if (kind == null || clustered && kind.equals(Store.EMBEDDED)) {
      throw new ConfigException("a clustered worker needs a store its peers share: set SCANNER_DB_URL (PostgreSQL), or "
          + "SCANNER_STORE=memory (nothing survives a restart of every worker); or run alone with --no-cluster");
    }
    if (kind.equals(Store.POSTGRES) && s.url().isEmpty()) {
      throw new ConfigException("store.kind (SCANNER_STORE) is postgres but no SCANNER_DB_URL (store.url) is set");
    }
    Store chosen = s.withKind(kind);
    return chosen.dataDir() == null ? chosen.withDataDir(Path.of("data"), false) : chosen;
  }

  /**
   * @param dataDirFlag {@code --data-dir}, or null
   * @param env for {@code XDG_DATA_HOME} and {@code HOME}
   */
  public static Store forScanCommand(Store s, Path dataDirFlag, Map<String, String> env) {
    String kind = Store.MEMORY.equals(s.kind()) ? Store.MEMORY : Store.EMBEDDED;
    Store chosen = s.withKind(kind);
    if (dataDirFlag != null) return chosen.withDataDir(dataDirFlag, true);
    if (chosen.dataDir() != null) return chosen;
    return chosen.withDataDir(defaultCliDataDir(env), false);
  }

  /** {@code $XDG_DATA_HOME/chatgpt-security-scanner}, else {@code ~/.local/share/chatgpt-security-scanner}. */
  static Path defaultCliDataDir(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
    return base.resolve("chatgpt-security-scanner");
  }

  /** @throws ConfigException when {@code dir} cannot be created or written */
  public static void requireWritable(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        // It will hold every scan's findings: readable by this user only.
        try {
          Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
          // the parent's permissions apply
        }
      }
      Path probe = Files.createTempFile(dir, ".write-check", "");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigException("the data directory " + dir + " is not writable (" + e.getClass().getSimpleName()
          + "): set SCANNER_DATA_DIR (or --data-dir) to a directory this user can write");
    }
  }

  /** What a database URL becomes for the JDBC driver, and the user it names, if any. */
  public record Url(String jdbcUrl, String user) {}

  /**
   * @throws ConfigException for anything but a PostgreSQL URL, and for a password inside it: a URL is
   *     logged and shown in process lists, so the password goes in SCANNER_DB_PASSWORD(_FILE)
   */
  public static Url parseUrl(String url) {
    Matcher m = URL.matcher(url.trim());
    if (!m.matches()) {
      throw new ConfigException("store.url (SCANNER_DB_URL): expected jdbc:postgresql://host:5432/database or "
          + "postgresql://host:5432/database, got '" + loggable(url) + "'");
    }
    String query = m.group("query") == null ? "" : m.group("query");
    if (m.group("password") != null || PASSWORD_PARAM.matcher(query).find()) {
      throw new ConfigException("store.url (SCANNER_DB_URL) must not carry a password: set SCANNER_DB_PASSWORD or "
          + "SCANNER_DB_PASSWORD_FILE instead");
    }
    String user = m.group("user") == null || m.group("user").isEmpty() ? null : m.group("user");
    return new Url("jdbc:postgresql://" + m.group("host") + "/" + m.group("db") + query, user);
  }

  /** A URL fit for a log line: no user part, no parameters. */
  public static String loggable(String url) {
    if (url == null || url.isEmpty()) return "";
    String noQuery = url.replaceAll("[?#].*", "");
    return noQuery.replaceAll("//[^/@]*@", "//");
  }
}
