package io.github.cgscanner.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A few test cases laid out like OWASP Benchmark Java (expectedresults-1.2.csv at the root, one servlet
 * per case under src/main/java/org/owasp/benchmark/testcode, benchmark.properties in the resources), each
 * built so that whether the local rules and the simulated reviewer detect it follows from its code: the
 * simulator recognises lines by {@link io.github.cgscanner.sim.VulnPatterns}, like any other line.
 */
final class BenchmarkStandIn {
  /**
   * One case, and whether it is detected by the local checks alone, with the simulated model, and once
   * the verification pass ({@code review.verify: high}) has set aside what it rejects.
   */
  record Case(int number, String category, boolean real, int cwe, boolean local, boolean withModel, boolean verified, String body) {
    Case(int number, String category, boolean real, int cwe, boolean local, boolean withModel, String body) {
      this(number, category, real, cwe, local, withModel, withModel, body);
    }

    String name() {
      return String.format("BenchmarkTest%05d", number);
    }
  }

  static final String TRUE_SQL = "String sql = \"SELECT * FROM USERS WHERE NAME='\" + param + \"'\";";

  static final List<Case> CASES = List.of(
      // The reviewer reads the concatenated query; the local rule wants a call that runs SQL in the file.
      new Case(1, "sqli", true, 89, false, true, TRUE_SQL),
      new Case(2, "sqli", true, 89, false, true, TRUE_SQL.replace("NAME", "EMAIL")),
      new Case(3, "sqli", true, 89, false, false, "String sql = buildQuery(param);"),
      // Only constants reach the query: the reviewer reports the concatenation, the verifier rejects it.
      new Case(4, "sqli", false, 89, false, true, false, "String sql = \"SELECT * FROM USERS WHERE NAME='\" + \"guest\" + \"'\";"),
      new Case(5, "sqli", false, 89, false, false, "String sql = \"nothing to query\";"),
      new Case(6, "weakrand", true, 330, true, true,
          "long l = new java.util.Random().nextLong();\n        String rememberMeKey = Long.toString(l);"),
      new Case(7, "weakrand", false, 330, false, false,
          "long l = new java.security.SecureRandom().nextLong();\n        String rememberMeKey = Long.toString(l);"),
      new Case(8, "hash", true, 328, true, true, "java.security.MessageDigest md = java.security.MessageDigest.getInstance(\"MD5\");"),
      // Only benchmark.properties says this one is MD5.
      new Case(9, "hash", true, 328, true, true,
          "java.util.Properties props = new java.util.Properties();\n"
              + "        props.load(getClass().getClassLoader().getResourceAsStream(\"benchmark.properties\"));\n"
              + "        String algorithm = props.getProperty(\"hashAlg1\", \"SHA512\");\n"
              + "        java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);"),
      new Case(10, "weakrand", true, 330, true, true, "String resetToken = Double.toString(Math.random());"),
      new Case(11, "hash", false, 328, false, false,
          "java.security.MessageDigest md = java.security.MessageDigest.getInstance(\"SHA-256\");"),
      new Case(12, "securecookie", true, 614, true, true, cookie(false)),
      new Case(13, "securecookie", false, 614, false, false, cookie(true)),
      new Case(15, "securecookie", true, 614, true, true, cookie(false)));

  private static String cookie(boolean secure) {
    return "javax.servlet.http.Cookie cookie = new javax.servlet.http.Cookie(\"SomeCookie\", param);\n"
        + "        cookie.setSecure(" + secure + ");\n"
        + "        cookie.setHttpOnly(true);\n"
        + "        response.addCookie(cookie);";
  }

  private BenchmarkStandIn() {}

  static void write(Path root) throws IOException {
    StringBuilder csv = new StringBuilder("# test name, category, real vulnerability, cwe, Benchmark version: 1.2, 2016-06-1\n");
    Path code = Files.createDirectories(root.resolve("src/main/java/org/owasp/benchmark/testcode"));
    for (Case c : CASES) {
      csv.append(c.name()).append(',').append(c.category()).append(',').append(c.real()).append(',').append(c.cwe()).append('\n');
      Files.writeString(code.resolve(c.name() + ".java"), """
          package org.owasp.benchmark.testcode;

          import java.io.IOException;
          import javax.servlet.http.HttpServletRequest;
          import javax.servlet.http.HttpServletResponse;

          public class %s extends javax.servlet.http.HttpServlet {
              @Override
              public void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                  String param = request.getParameter("%s");
                  %s
              }
          }
          """.formatted(c.name(), c.name(), c.body()));
    }
    Files.writeString(root.resolve("expectedresults-1.2.csv"), csv);
    Path resources = Files.createDirectories(root.resolve("src/main/resources"));
    Files.writeString(resources.resolve("benchmark.properties"), "hashAlg1=MD5\nhashAlg2=SHA-256\n");
    // Not a test case: never scanned, so its weak hash must not count anywhere.
    Path helpers = Files.createDirectories(root.resolve("src/main/java/org/owasp/benchmark/helpers"));
    Files.writeString(helpers.resolve("Utils.java"),
        "class Utils { Object md() throws Exception { return java.security.MessageDigest.getInstance(\"MD5\"); } }\n");
  }
}
