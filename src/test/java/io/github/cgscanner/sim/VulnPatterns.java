package io.github.cgscanner.sim;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the simulated model "knows": one code line matching {@code regex} is one finding. Test
 * repository generators plant {@code sample} lines so that expectations follow from the same list the
 * simulator uses; the simulator itself holds no expected answers.
 */
public final class VulnPatterns {
  /** @param sample a line of code in {@code language} that this pattern detects */
  public record VulnPattern(String name, Pattern regex, String cwe, String severity, String title, String language, String sample) {
    public boolean matches(String line) {
      return regex.matcher(line).find();
    }
  }

  public static final List<VulnPattern> ALL = List.of(
      new VulnPattern("sql-concat", Pattern.compile("\"\\s*(SELECT|INSERT|UPDATE|DELETE)\\b[^\"]*\"\\s*\\+", Pattern.CASE_INSENSITIVE),
          "CWE-89", "high", "SQL injection through string concatenation", "java",
          "String query = \"SELECT * FROM users WHERE name = '\" + name + \"'\";"),
      new VulnPattern("java-exec", Pattern.compile("Runtime\\.getRuntime\\(\\)\\.exec\\("),
          "CWE-78", "critical", "OS command injection", "java", "Process p = Runtime.getRuntime().exec(\"ping \" + host);"),
      new VulnPattern("os-system", Pattern.compile("\\bos\\.system\\("),
          "CWE-78", "critical", "OS command injection", "python", "os.system(\"ping \" + host)"),
      new VulnPattern("child-process-exec", Pattern.compile("child_process\\.exec\\("),
          "CWE-78", "critical", "OS command injection", "javascript", "child_process.exec(\"ping \" + req.query.host);"),
      new VulnPattern("pickle-loads", Pattern.compile("\\bpickle\\.loads\\("),
          "CWE-502", "high", "Deserialization of untrusted data", "python", "obj = pickle.loads(request.data)"),
      new VulnPattern("java-readobject", Pattern.compile("ObjectInputStream\\(.*\\)\\.readObject\\(\\)"),
          "CWE-502", "high", "Deserialization of untrusted data", "java",
          "Object o = new ObjectInputStream(request.getInputStream()).readObject();"),
      new VulnPattern("eval", Pattern.compile("(?<![\\w.])eval\\("),
          "CWE-95", "high", "Code injection through eval", "javascript", "const result = eval(req.body.expression);"),
      new VulnPattern("inner-html", Pattern.compile("\\.innerHTML\\s*="),
          "CWE-79", "medium", "Cross-site scripting through innerHTML", "javascript", "element.innerHTML = location.hash.substring(1);"),
      new VulnPattern("weak-hash", Pattern.compile("MessageDigest\\.getInstance\\(\"MD5\"\\)|hashlib\\.md5\\("),
          "CWE-328", "low", "Weak hash function (MD5)", "java", "MessageDigest md = MessageDigest.getInstance(\"MD5\");"));

  private VulnPatterns() {}

  /** The patterns a line of code triggers, in list order. */
  public static List<VulnPattern> matching(String line) {
    return ALL.stream().filter(p -> p.matches(line)).toList();
  }
}
