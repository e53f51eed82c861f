package io.github.cgscanner.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OWASP Benchmark {@code expectedresults-*.csv}: one labelled test case a line,
 * {@code name,category,real vulnerability,cwe}, lines starting with {@code #} are comments.
 */
public final class ExpectedResults {
  /** One labelled test case; {@code number} is the digits its name ends with. */
  public record TestCase(String name, int number, String category, boolean real, int cwe) {}

  private static final Pattern NUMBERED = Pattern.compile("[A-Za-z_][\\w]*?(\\d+)");

  private ExpectedResults() {}

  /** @throws IllegalArgumentException naming the file and line of the first malformed row */
  public static List<TestCase> read(Path csv) throws IOException {
    List<TestCase> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      lineNo++;
      String row = line.strip();
      if (row.isEmpty() || row.startsWith("#")) continue;
      String[] f = row.split("\\s*,\\s*");
      Matcher name = f.length >= 4 ? NUMBERED.matcher(f[0]) : null;
      if (name == null || !name.matches() || !f[1].matches("[a-z0-9_-]+") || !f[2].matches("(?i)true|false")
          || !f[3].matches("\\d{1,5}")) {
        throw new IllegalArgumentException(csv.getFileName() + " line " + lineNo
            + ": expected 'test name,category,true|false,cwe', got '" + abbreviate(row) + "'");
      }
      if (!names.add(f[0])) throw new IllegalArgumentException(csv.getFileName() + " line " + lineNo + ": " + f[0] + " is listed twice");
      cases.add(new TestCase(f[0], Integer.parseInt(name.group(1)), f[1], Boolean.parseBoolean(f[2].toLowerCase()),
          Integer.parseInt(f[3])));
    }
    if (cases.isEmpty()) throw new IllegalArgumentException(csv.getFileName() + " lists no test case");
    return cases;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
