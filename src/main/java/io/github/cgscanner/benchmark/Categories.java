package io.github.cgscanner.benchmark;

import java.util.Map;
import java.util.Set;

/**
 * How the scanner's CWE numbers meet the benchmark's categories. The benchmark's scorer counts a result
 * for a test case only when its CWE equals the case's, after a per-tool translation (its readers map,
 * for instance, CWE-338 to weak randomness' CWE-330). This is that translation for this scanner — a
 * category's CWE and the narrower CWEs a reviewer may name for the same weakness — and nothing wider: a
 * missing HttpOnly flag (CWE-1004) is not an insecure cookie (CWE-614) and a weak hash (CWE-328) is not
 * a weak cipher (CWE-327).
 */
public final class Categories {
  private Categories() {}

  private static final Map<Integer, Set<Integer>> ACCEPTED = Map.ofEntries(
      Map.entry(22, Set.of(22, 23, 36)),
      Map.entry(78, Set.of(78)),
      Map.entry(79, Set.of(79, 80)),
      Map.entry(89, Set.of(89, 564)),
      Map.entry(90, Set.of(90)),
      Map.entry(327, Set.of(327, 326)),
      Map.entry(328, Set.of(328)),
      Map.entry(330, Set.of(330, 338)),
      Map.entry(501, Set.of(501)),
      Map.entry(614, Set.of(614)),
      Map.entry(643, Set.of(643)));

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("cmdi", "Command Injection"),
      Map.entry("crypto", "Weak Encryption Algorithm"),
      Map.entry("hash", "Weak Hashing Algorithm"),
      Map.entry("ldapi", "LDAP Injection"),
      Map.entry("pathtraver", "Path Traversal"),
      Map.entry("securecookie", "Insecure Cookie"),
      Map.entry("sqli", "SQL Injection"),
      Map.entry("trustbound", "Trust Boundary Violation"),
      Map.entry("weakrand", "Weak Random Number"),
      Map.entry("xpathi", "XPath Injection"),
      Map.entry("xss", "Cross-Site Scripting"));

  /** Whether a finding with CWE {@code reported} is a result for a test case labelled {@code expected}. */
  public static boolean counts(int reported, int expected) {
    return reported == expected || ACCEPTED.getOrDefault(expected, Set.of()).contains(reported);
  }

  /** The benchmark's display name of a category id ({@code sqli} → SQL Injection); unknown ids as they are. */
  public static String displayName(String id) {
    return NAMES.getOrDefault(id, id);
  }

  /** {@code CWE-89} → 89; anything else → -1. */
  public static int number(String cwe) {
    if (cwe == null || !cwe.matches("(?i)CWE-\\d{1,6}")) return -1;
    return Integer.parseInt(cwe.substring(4));
  }
}
