package io.github.cgscanner.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A repository for the verification pass: real vulnerabilities, and decoys — code that looks
 * vulnerable at its sink (the reviewer reports it) but is made safe earlier in the same file, far
 * enough above that a review chunk may hold the sink without the guard. Five decoy forms: an
 * allow-list check, an escaping call, a conversion to a number (Java and Go) and a range check; one
 * finding fed only by the environment (confirmed, at a lower severity); and a real one whose check
 * comes after its sink. Nothing in a file names what it is: only its code says.
 */
public final class DecoyRepo {
  public enum Kind { REAL, DECOY, ENVIRONMENT }

  /** A line the reviewer reports, with what a verifier reading the whole file should conclude. */
  public record Planted(String path, int line, String cwe, String severity, Kind kind) {}

  public final Map<String, String> files = new LinkedHashMap<>();
  public final List<Planted> planted = new ArrayList<>();
  private final Random random;

  private DecoyRepo(long seed) {
    this.random = new Random(seed);
  }

  /**
   * @param realFiles files with one real finding each, over four languages, besides the decoys
   * @param cleanFiles files with nothing to find
   * @param filler lines between a guard and its sink
   */
  public static DecoyRepo generate(int realFiles, int cleanFiles, int filler, long seed) {
    return generate(realFiles, cleanFiles, filler, filler, 1, seed);
  }

  /**
   * A repository of many files of varied length (a benchmark's): {@code decoySets} copies of the decoys,
   * real and clean files of {@code minFiller}..{@code maxFiller} filler lines.
   */
  public static DecoyRepo generate(int realFiles, int cleanFiles, int minFiller, int maxFiller, int decoySets, long seed) {
    DecoyRepo repo = new DecoyRepo(seed);
    repo.files.put("README.md", "A service with a few data access and network helpers.\n");
    for (int set = 0; set < decoySets; set++) repo.decoys(repo.size(minFiller, maxFiller), set);
    for (int i = 0; i < realFiles; i++) repo.real(i, repo.size(minFiller, maxFiller));
    for (int i = 0; i < cleanFiles; i++) repo.clean(i, repo.size(minFiller, maxFiller));
    return repo;
  }

  private int size(int min, int max) {
    return min + (max > min ? random.nextInt(max - min + 1) : 0);
  }

  private void decoys(int filler, int set) {
    String dir = set == 0 ? "" : "set" + set + "/";
    file(dir + "src/java/dao/OwnerDao.java", Kind.DECOY, "CWE-89", "high", filler,
        List.of("public class OwnerDao {", "    public String byOwner(HttpServletRequest request) {",
            "        long owner = Long.parseLong(request.getParameter(\"owner\"));"),
        "        String query = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";",
        List.of("        return run(query);", "    }", "}"), Lang.JAVA);
    file(dir + "src/java/dao/RangeDao.java", Kind.DECOY, "CWE-89", "high", filler,
        List.of("public class RangeDao {", "    public String byOwner(int owner) {", "        if (owner < 1 || owner > 99999) {",
            "            throw new IllegalArgumentException(\"owner out of range\");", "        }"),
        "        String query = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";",
        List.of("        return run(query);", "    }", "}"), Lang.JAVA);
    file(dir + "src/python/net/ping_allowed.py", Kind.DECOY, "CWE-78", "critical", filler,
        List.of("import os", "", "ALLOWED_HOSTS = {\"db1.internal\", \"db2.internal\"}", "", "def ping(host):",
            "    if host not in ALLOWED_HOSTS:", "        raise ValueError(\"host not allowed\")"),
        "    os.system(\"ping -c 1 \" + host)", List.of("    return True"), Lang.PYTHON);
    file(dir + "src/js/ui/notice.js", Kind.DECOY, "CWE-79", "medium", filler,
        List.of("import { escapeHtml } from './text.js';", "", "export function show(target, message) {",
            "  message = escapeHtml(message);"),
        "  target.innerHTML = message;", List.of("}"), Lang.JS);
    file(dir + "src/go/store/lookup.go", Kind.DECOY, "CWE-89", "high", filler,
        List.of("package store", "", "func Lookup(db *sql.DB, raw string) error {", "\tn, err := strconv.Atoi(raw)",
            "\tif err != nil || n < 1 || n > 1000000 {", "\t\treturn err", "\t}", "\tid := strconv.Itoa(n)"),
        "\trows, err := db.Query(\"SELECT name FROM users WHERE id = \" + id)", List.of("\treturn use(rows, err)", "}"), Lang.GO);
    file(dir + "src/python/net/ping_configured.py", Kind.ENVIRONMENT, "CWE-78", "critical", filler,
        List.of("import os", "", "def ping_configured():", "    host = os.environ[\"PING_HOST\"]"),
        "    os.system(\"ping -c 1 \" + host)", List.of("    return True"), Lang.PYTHON);
    file(dir + "src/python/net/ping_late_check.py", Kind.REAL, "CWE-78", "critical", filler / 4,
        List.of("import os", "", "ALLOWED_HOSTS = {\"db1.internal\"}", "", "def ping(host):"),
        "    os.system(\"ping -c 1 \" + host)",
        List.of("    if host not in ALLOWED_HOSTS:", "        raise ValueError(\"checked too late\")"), Lang.PYTHON);
  }

  private void real(int i, int filler) {
    Lang lang = Lang.values()[i % 4];
    String dir = "src/" + lang.name().toLowerCase() + "/real/";
    String path = dir + "vuln" + i + "." + lang.ext;
    switch (lang) {
      case JAVA -> file(path, Kind.REAL, "CWE-89", "high", filler,
          List.of("public class Vuln" + i + " {", "    public String byOwner(HttpServletRequest request) {",
              "        String owner = request.getParameter(\"owner\");"),
          "        String query = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";",
          List.of("        return run(query);", "    }", "}"), lang);
      case PYTHON -> file(path, Kind.REAL, "CWE-78", "critical", filler, List.of("import os", "", "def ping(host):"),
          "    os.system(\"ping -c 1 \" + host)", List.of("    return True"), lang);
      case JS -> file(path, Kind.REAL, "CWE-79", "medium", filler, List.of("export function show(target, message) {"),
          "  target.innerHTML = message;", List.of("}"), lang);
      case GO -> file(path, Kind.REAL, "CWE-89", "high", filler,
          List.of("package store", "", "func Find(db *sql.DB, id string) error {"),
          "\trows, err := db.Query(\"SELECT name FROM users WHERE id = \" + id)", List.of("\treturn use(rows, err)", "}"), lang);
    }
  }

  private void clean(int i, int lines) {
    StringBuilder sb = new StringBuilder("public class Clean" + i + " {\n");
    for (int n = 2; n < lines; n++) sb.append(filler(Lang.JAVA, n)).append('\n');
    files.put("src/java/clean/Clean" + i + ".java", sb.append("}\n").toString());
  }

  private void file(String path, Kind kind, String cwe, String severity, int filler, List<String> head, String sink, List<String> tail,
      Lang lang) {
    List<String> lines = new ArrayList<>(head);
    for (int n = 0; n < filler; n++) lines.add(filler(lang, lines.size() + 1));
    lines.add(sink);
    planted.add(new Planted(path, lines.size(), cwe, severity, kind));
    lines.addAll(tail);
    files.put(path, String.join("\n", lines) + "\n");
  }

  private enum Lang {
    JAVA("java"), PYTHON("py"), JS("js"), GO("go");

    final String ext;

    Lang(String ext) {
      this.ext = ext;
    }
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

  public List<Planted> of(Kind kind) {
    return planted.stream().filter(p -> p.kind() == kind).toList();
  }

  /** The repository as {@code {"files": [...]}}, the inline source of a submission. */
  public JsonObject inlineFiles() {
    JsonArray list = new JsonArray();
    files.forEach((path, content) -> list.add(new JsonObject().put("path", path).put("content", content)));
    return new JsonObject().put("files", list);
  }

  public Path writeTo(Path dir) throws IOException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** Zipped under one top directory, which the service strips. */
  public Path zip(Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry("repo-main/" + e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return target;
  }
}
