package io.github.cgscanner.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule family of a CWE: its nearest ancestor (or itself) in CWE view 1003, "Weaknesses for
 * Simplified Mapping of Published Vulnerabilities", the view NVD maps CVEs to. A model that calls the
 * same line CWE-89 one day and CWE-564 the next reports one weakness, and a finding id must not tell
 * them apart.
 *
 * <p>The table lists CWEs outside view 1003 that code reviews report, each with the view-1003 entry its
 * ChildOf chain in the research view (1000) reaches first (CWE 4.x). A CWE the table does not list is
 * its own family: members of view 1003 are, and an unlisted CWE outside it keeps ids as stable as the
 * model's choice of it. Changing a family here changes ids: bump {@link FindingIds#ID_VERSION}.
 */
public final class CweFamilies {
  /** The family of a finding without a CWE. */
  public static final String NONE = "none";
  private static final Pattern CWE = Pattern.compile("(?i)^\\s*(?:cwe)?[-_ ]?(\\d{1,6})\\s*$");
  private static final Map<Integer, Integer> FAMILY = new HashMap<>();

  static {
    // Injection (view 1003: 74 and its children 77, 78, 79, 88, 89, 91, 94, 917, 1236)
    family(89, 564);
    family(79, 80, 81, 82, 83, 84, 85, 86, 87);
    family(94, 95, 96, 97);
    family(91, 643, 652);
    family(77, 624);
    family(74, 75, 76, 90, 93, 99, 113, 943);
    family(116, 117);
    family(829, 98);
    // Files and references (706: 22, 59; 610)
    family(22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40);
    family(59, 61, 62, 64, 65);
    family(610, 73);
    family(668, 377, 379);
    // Cryptography and randomness
    family(327, 328, 780);
    family(916, 759, 760);
    family(330, 329, 334, 339, 340, 341, 342, 343, 344, 1204);
    family(331, 332, 333);
    family(335, 336, 337);
    // Credentials and transport
    family(798, 259, 321);
    family(522, 256, 257, 260, 261);
    family(312, 313, 314, 315, 316, 317, 318);
    family(319, 5, 523, 614);
    family(732, 1004);
    // Authentication and access control
    family(287, 304, 305, 308, 309, 620, 1390, 1391, 1392, 1393);
    family(290, 291, 293, 350);
    family(295, 297, 599);
    family(639, 566);
    family(346, 1385);
    // Information exposure
    family(200, 215, 526, 540, 548, 598, 615);
    family(203, 204, 205, 208);
    // Memory and resources
    family(787, 121, 122, 123, 124);
    family(125, 126, 127);
    family(119, 805, 806);
    family(770, 789);
    family(772, 775);
    family(362, 364, 366, 368);
  }

  private CweFamilies() {}

  private static void family(int ancestor, int... members) {
    for (int m : members) FAMILY.put(m, ancestor);
  }

  /** {@code CWE-564} → {@code CWE-89}; {@code CWE-89} → itself; null or not a CWE → {@link #NONE}. */
  public static String family(String cwe) {
    if (cwe == null) return NONE;
    Matcher m = CWE.matcher(cwe);
    if (!m.matches()) return NONE;
    int n = Integer.parseInt(m.group(1));
    return "CWE-" + FAMILY.getOrDefault(n, n);
  }
}
