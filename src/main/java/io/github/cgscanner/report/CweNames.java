package io.github.cgscanner.report;

import java.util.Map;

/** Short names of the weaknesses a code review reports most, so rules read well without a CWE database. */
final class CweNames {
  private CweNames() {}

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("CWE-20", "Improper input validation"),
      Map.entry("CWE-22", "Path traversal"),
      Map.entry("CWE-77", "Command injection"),
      Map.entry("CWE-78", "OS command injection"),
      Map.entry("CWE-79", "Cross-site scripting"),
      Map.entry("CWE-89", "SQL injection"),
      Map.entry("CWE-90", "LDAP injection"),
      Map.entry("CWE-94", "Code injection"),
      Map.entry("CWE-117", "Log injection"),
      Map.entry("CWE-190", "Integer overflow"),
      Map.entry("CWE-200", "Exposure of sensitive information"),
      Map.entry("CWE-209", "Sensitive information in error messages"),
      Map.entry("CWE-250", "Execution with unnecessary privileges"),
      Map.entry("CWE-269", "Improper privilege management"),
      Map.entry("CWE-276", "Incorrect default permissions"),
      Map.entry("CWE-284", "Improper access control"),
      Map.entry("CWE-285", "Improper authorization"),
      Map.entry("CWE-287", "Improper authentication"),
      Map.entry("CWE-295", "Improper certificate validation"),
      Map.entry("CWE-306", "Missing authentication for critical function"),
      Map.entry("CWE-311", "Missing encryption of sensitive data"),
      Map.entry("CWE-312", "Cleartext storage of sensitive information"),
      Map.entry("CWE-319", "Cleartext transmission of sensitive information"),
      Map.entry("CWE-327", "Broken or risky cryptographic algorithm"),
      Map.entry("CWE-328", "Weak hash"),
      Map.entry("CWE-330", "Insufficiently random values"),
      Map.entry("CWE-338", "Weak pseudo-random number generator"),
      Map.entry("CWE-352", "Cross-site request forgery"),
      Map.entry("CWE-362", "Race condition"),
      Map.entry("CWE-400", "Uncontrolled resource consumption"),
      Map.entry("CWE-434", "Unrestricted file upload"),
      Map.entry("CWE-476", "NULL pointer dereference"),
      Map.entry("CWE-501", "Trust boundary violation"),
      Map.entry("CWE-502", "Deserialization of untrusted data"),
      Map.entry("CWE-521", "Weak password requirements"),
      Map.entry("CWE-532", "Sensitive information in log files"),
      Map.entry("CWE-601", "Open redirect"),
      Map.entry("CWE-611", "XML external entity reference"),
      Map.entry("CWE-614", "Sensitive cookie without the Secure flag"),
      Map.entry("CWE-639", "Authorization bypass through user-controlled key"),
      Map.entry("CWE-643", "XPath injection"),
      Map.entry("CWE-640", "Weak password recovery"),
      Map.entry("CWE-668", "Exposure of resource to wrong sphere"),
      Map.entry("CWE-732", "Incorrect permission assignment"),
      Map.entry("CWE-770", "Allocation of resources without limits"),
      Map.entry("CWE-787", "Out-of-bounds write"),
      Map.entry("CWE-798", "Hard-coded credentials"),
      Map.entry("CWE-862", "Missing authorization"),
      Map.entry("CWE-863", "Incorrect authorization"),
      Map.entry("CWE-915", "Mass assignment"),
      Map.entry("CWE-918", "Server-side request forgery"),
      Map.entry("CWE-943", "NoSQL injection"),
      Map.entry("CWE-1004", "Sensitive cookie without the HttpOnly flag"),
      Map.entry("CWE-1321", "Prototype pollution"),
      Map.entry("CWE-1333", "Regular expression denial of service"));

  /** The name of {@code cwe} ("CWE-89" form), or null when it is not one of the common ones. */
  static String name(String cwe) {
    return cwe == null ? null : NAMES.get(cwe);
  }

  /** The number of a "CWE-89" style id, or null when {@code cwe} is not of that form. */
  static String number(String cwe) {
    return cwe != null && cwe.matches("CWE-[1-9][0-9]{0,5}") ? cwe.substring(4) : null;
  }
}
