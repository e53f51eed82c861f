package io.github.cgscanner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules that read more than the matched line: neighbouring lines, what names hold, the repository's configuration. */
class ContextRulesTest {
  private final LocalRules rules = new LocalRules();

  private List<Integer> lines(String rule, String path, String text, ConfigValues config) {
    return rules.find(path, text, config).stream().filter(m -> m.rule().equals(rule)).map(RuleMatch::line).toList();
  }

  private List<Integer> lines(String rule, String text) {
    return lines(rule, "Sample.java", text, ConfigValues.NONE);
  }

  @Test
  void aRandomNumberIsReportedWhenASecurityValueIsMadeOfItNearby() {
    String token = """
        long l = new java.util.Random().nextLong();
        String rememberMeKey = Long.toString(l);
        """;
    assertEquals(List.of(1), lines("insecure-random", token));
    String shuffle = """
        Random random = new Random(seed);
        Collections.shuffle(players, random);
        int dice = random.nextInt(6) + 1;
        """;
    assertEquals(List.of(), lines("insecure-random", shuffle));
    String far = "double v = Math.random();\n" + "int x = 1;\n".repeat(6) + "String sessionId = Double.toString(v);\n";
    assertEquals(List.of(), lines("insecure-random", far), "the value is out of the window: a model's job");
    assertEquals(List.of(), lines("insecure-random", token.replace("new java.util.Random()", "new java.security.SecureRandom()")));
  }

  @Test
  void anAlgorithmReadFromConfigurationIsJudgedByWhatTheRepositorySetsItTo() {
    String code = """
        java.util.Properties props = new java.util.Properties();
        props.load(getClass().getResourceAsStream("app.properties"));
        String algorithm = props.getProperty("digest.algorithm", "SHA-512");
        java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);
        """;
    ConfigValues md5 = ConfigValues.fromProperties(List.of("# app settings\ndigest.algorithm=MD5\n"));
    ConfigValues sha256 = ConfigValues.fromProperties(List.of("digest.algorithm = SHA-256\n"));
    assertEquals(List.of(4), lines("weak-hash", "Hasher.java", code, md5));
    assertEquals(List.of(), lines("weak-hash", "Hasher.java", code, sha256));
    assertEquals(List.of(), lines("weak-hash", "Hasher.java", code, ConfigValues.NONE), "unset: the default applies");
    String weakDefault = code.replace("\"SHA-512\"", "\"SHA1\"");
    assertEquals(List.of(4), lines("weak-hash", "Hasher.java", weakDefault, ConfigValues.NONE));
    assertEquals(List.of(), lines("weak-hash", "Hasher.java", weakDefault, sha256), "the repository overrides the default");
  }

  @Test
  void anAlgorithmHeldByAConstantOrSpreadOverLinesIsRead() {
    String constant = """
        class Crypto {
          private static final String TRANSFORMATION = "DES/CBC/PKCS5Padding";
          Cipher cipher() throws Exception {
            return Cipher.getInstance(TRANSFORMATION);
          }
        }
        """;
    assertEquals(List.of(4), lines("weak-cipher", constant));
    String parameter = """
        class Crypto {
          Cipher cipher(String transformation) throws Exception {
            return Cipher.getInstance(transformation);
          }
        }
        """;
    assertEquals(List.of(), lines("weak-cipher", parameter), "a parameter could be anything: not reported");
    String wrapped = """
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance(
                "DES/CBC/PKCS5PADDING", java.security.Security.getProvider("SunJCE"));
        """;
    assertEquals(List.of(1), lines("weak-cipher", wrapped));
    String rsa = "Cipher c = Cipher.getInstance(\"RSA/ECB/OAEPWithSHA-256AndMGF1Padding\");\n";
    assertEquals(List.of(), lines("weak-cipher", rsa), "RSA's ECB names no block mode");
  }

  @Test
  void aServletCookieThatIsNeverMadeSecureIsReportedWhereItIsCreated() {
    String servlet = """
        Cookie c = new Cookie("remember", token);
        c.setHttpOnly(true);
        response.addCookie(c);
        """;
    assertEquals(List.of(1), lines("insecure-cookie", servlet));
    assertEquals(List.of(), lines("cookie-without-httponly", servlet));
    String conditional = servlet.replace("c.setHttpOnly(true);", "c.setHttpOnly(true);\nc.setSecure(request.isSecure());");
    assertEquals(List.of(), lines("insecure-cookie", conditional));
    String both = servlet.replace("c.setHttpOnly(true);", "c.setSecure(false);");
    assertEquals(List.of(2), lines("insecure-cookie", both), "the explicit false is what is reported");
    assertEquals(List.of(1), lines("cookie-without-httponly", both));
  }

  @Test
  void aSessionWriteOfSomethingNotConstantInRequestHandlingCodeCrossesTheTrustBoundary() {
    String servlet = """
        public void doPost(HttpServletRequest request, HttpServletResponse response) {
          String user = request.getParameter("user");
          request.getSession().setAttribute("userid", user);
          request.getSession().setAttribute("visited", "true");
          HttpSession session = request.getSession();
          session.putValue(user, "1");
        }
        """;
    assertEquals(List.of(3, 6), lines("trust-boundary", servlet));
    String job = "void run(String v) { session.setAttribute(\"last\", v); }\n";
    assertEquals(List.of(), lines("trust-boundary", job), "no request is handled here");
  }

  @Test
  void aQueryConcatenatedFromConstantsOnlyIsNotInjection() {
    String constants = """
        class Dao {
          private static final String TABLE = "users";
          List<User> all(boolean ascending) throws SQLException {
            String order = ascending ? "ASC" : "DESC";
            String limit = "100";
            return run(stmt.executeQuery("SELECT * FROM " + TABLE + " ORDER BY name " + order + " LIMIT " + limit));
          }
        }
        """;
    assertEquals(List.of(), lines("sql-concat", constants));
    String parameter = constants.replace("all(boolean ascending)", "all(boolean ascending, String order2)")
        .replace("+ order +", "+ order2 +");
    assertEquals(List.of(6), lines("sql-concat", parameter));
    String mutated = constants.replace("String limit = \"100\";", "String limit = \"100\";\n    limit += request.getParameter(\"n\");");
    assertEquals(List.of(7), lines("sql-concat", mutated), "a name also changed with += is not constant");
    String reassigned = constants.replace("String limit = \"100\";", "String limit = \"100\";\n    if (custom) limit = input;");
    assertEquals(List.of(7), lines("sql-concat", reassigned));
    String call = "ResultSet rs = stmt.executeQuery(\"SELECT * FROM users WHERE id = \" + id.trim());\n";
    assertEquals(List.of(1), lines("sql-concat", call));
  }

  @Test
  void annotationArgumentsAreNotAssignments() {
    String code = """
        class Dao {
          @Query(name = "users")
          List<User> find(String name) throws SQLException {
            return run(stmt.executeQuery("SELECT * FROM users WHERE name = '" + name + "'"));
          }
        }
        """;
    assertEquals(List.of(4), lines("sql-concat", code));
  }

  @Test
  void configurationFilesThatDoNotParseAreLeftOut() {
    ConfigValues config = ConfigValues.fromProperties(List.of("broken=\\u00zz\n", "ok=MD5\n"));
    assertEquals(List.of("MD5"), config.valuesOf("ok"));
    assertTrue(config.valuesOf("broken").isEmpty());
    assertTrue(ConfigValues.isConfigFile("src/main/resources/App.PROPERTIES"));
  }
}
