package io.github.cgscanner.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Generates a repository in four languages with vulnerabilities planted at known lines, secrets that
 * must never reach the model, and files that must be skipped. The simulator finds the planted lines
 * by reading the prompt, exactly as it would find any other line of that shape.
 */
public final class TestRepo {
  public record Planted(String path, int line, String cwe) {}

  /** One vulnerable line per language, shaped like what the simulator's reviewer recognises. */
  enum Lang {
    JAVA("java", "        String query = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";", "CWE-89"),
    PYTHON("py", "    os.system(\"ping -c 1 \" + host)", "CWE-78"),
    JS("js", "  target.innerHTML = message;", "CWE-79"),
    GO("go", "\trows, err := db.Query(\"SELECT name FROM users WHERE id = \" + id)", "CWE-89");

    final String ext;
    final String vulnerableLine;
    final String cwe;

    Lang(String ext, String vulnerableLine, String cwe) {
      this.ext = ext;
      this.vulnerableLine = vulnerableLine;
      this.cwe = cwe;
    }
  }

  public final Path root;
  public final List<Planted> planted = new ArrayList<>();
  public final List<String> secrets = new ArrayList<>();
  /** Text that appears only in files that must be skipped: it must never reach the model. */
  public final List<String> skippedMarkers = new ArrayList<>();
  private final Random random;

  private TestRepo(Path root, long seed) {
    this.root = root;
    this.random = new Random(seed);
  }

  /**
   * @param files ordinary source files (spread over four languages), before the special cases:
   *     one file of 5,200 lines with a finding near its end, a CRLF file, a Latin-1 file, one file at
   *     two paths, files to skip, and files with secrets
   */
  public static TestRepo generate(Path root, int files, long seed) throws IOException {
    TestRepo repo = new TestRepo(root, seed);
    Files.createDirectories(root);
    for (int i = 0; i < files; i++) {
      Lang lang = Lang.values()[i % 4];
      String path = "src/" + lang.name().toLowerCase() + "/m" + (i / 40) + "/file" + i + "." + lang.ext;
      repo.writeSource(path, lang, 30 + repo.random.nextInt(150), i % 3 == 0, "\n", StandardCharsets.UTF_8);
    }
    repo.writeSource("src/java/big/Huge.java", Lang.JAVA, 5200, true, "\n", StandardCharsets.UTF_8, 5150);
    repo.writeSource("src/python/crlf/windows_tool.py", Lang.PYTHON, 60, true, "\r\n", StandardCharsets.UTF_8);
    repo.writeLatin1();
    String shared = repo.sourceText(Lang.JS, 40, 21, "\n");
    repo.write("lib/a/util.js", shared, StandardCharsets.UTF_8);
    repo.write("lib/b/util.js", shared, StandardCharsets.UTF_8);
    repo.planted.add(new Planted("lib/a/util.js", 21, Lang.JS.cwe));
    repo.planted.add(new Planted("lib/b/util.js", 21, Lang.JS.cwe));
    repo.writeSkipped();
    repo.writeSecrets();
    return repo;
  }

  private void writeSource(String path, Lang lang, int lines, boolean vulnerable, String eol, java.nio.charset.Charset cs) throws IOException {
    writeSource(path, lang, lines, vulnerable, eol, cs, vulnerable ? 5 + random.nextInt(lines - 10) : -1);
  }

  private void writeSource(String path, Lang lang, int lines, boolean vulnerable, String eol, java.nio.charset.Charset cs, int at)
      throws IOException {
    write(path, sourceText(lang, lines, vulnerable ? at : -1, eol), cs);
    if (vulnerable) planted.add(new Planted(path, at, lang.cwe));
  }

  /** {@code lines} lines of harmless code with the vulnerable line at {@code at} (1-based; -1 for none). */
  private String sourceText(Lang lang, int lines, int at, String eol) {
    StringBuilder sb = new StringBuilder();
    for (int n = 1; n <= lines; n++) {
      sb.append(n == at ? lang.vulnerableLine : filler(lang, n)).append(eol);
    }
    return sb.toString();
  }

  private String filler(Lang lang, int n) {
    int a = random.nextInt(1000);
    return switch (lang) {
      case JAVA -> "        int total" + n + " = count + " + a + "; // step " + n;
      case PYTHON -> "    total_" + n + " = count + " + a + "  # step " + n;
      case JS -> "  const total" + n + " = count + " + a + "; // step " + n;
      case GO -> "\ttotal" + n + " := count + " + a + " // step " + n;
    };
  }

  private void writeLatin1() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int n = 1; n <= 40; n++) {
      if (n == 3) sb.append("        // Café résumé: données générées\n");
      else if (n == 30) sb.append(Lang.JAVA.vulnerableLine).append('\n');
      else sb.append(filler(Lang.JAVA, n)).append('\n');
    }
    write("src/java/legacy/Latin1Dao.java", sb.toString(), StandardCharsets.ISO_8859_1);
    planted.add(new Planted("src/java/legacy/Latin1Dao.java", 30, Lang.JAVA.cwe));
  }

  private void writeSkipped() throws IOException {
    String marker = "SKIPPED_MARKER_" + random.nextInt(1_000_000);
    skippedMarkers.add(marker);
    write("node_modules/left-pad/index.js", "// " + marker + "\n" + Lang.JS.vulnerableLine + "\n", StandardCharsets.UTF_8);
    write("dist/app.min.js", "/* " + marker + " */" + "var a=1;".repeat(200) + "\n", StandardCharsets.UTF_8);
    write("package-lock.json", "{\"name\":\"" + marker + "\",\"lockfileVersion\":3}\n", StandardCharsets.UTF_8);
    byte[] png = new byte[512];
    random.nextBytes(png);
    png[0] = (byte) 0x89;
    png[1] = 'P';
    png[2] = 'N';
    png[3] = 'G';
    png[10] = 0;
    Files.createDirectories(root.resolve("assets"));
    Files.write(root.resolve("assets/logo.png"), png);
  }

  private void writeSecrets() throws IOException {
    String awsId = "AKIA" + upperAlnum(16);
    String awsSecret = base64ish(40);
    String github = "ghp_" + alnum(36);
    secrets.addAll(List.of(awsId, awsSecret, github));
    write("src/python/config/settings.py", String.join("\n",
        "import os",
        "",
        "AWS_ACCESS_KEY_ID = \"" + awsId + "\"",
        "AWS_SECRET_ACCESS_KEY = \"" + awsSecret + "\"",
        "REGION = \"eu-west-1\"",
        "") , StandardCharsets.UTF_8);
    write(".env", "GITHUB_TOKEN=" + github + "\nDEBUG=false\n", StandardCharsets.UTF_8);
  }

  private String upperAlnum(int n) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n);
  }

  private String alnum(int n) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
  }

  private String base64ish(int n) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n);
  }

  private String pick(String alphabet, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return sb.toString();
  }

  private void write(String path, String text, java.nio.charset.Charset cs) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, text.getBytes(cs));
  }

  /** Zips the repository under one top directory (which the service strips). */
  public Path zip(Path target) throws IOException {
    return zip(root, target);
  }

  /** Zips the tree at {@code root} under one top directory (which the service strips). */
  public static Path zip(Path root, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out);
         var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry("repo-main/" + root.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, zip);
        zip.closeEntry();
      }
    }
    return target;
  }
}
