package io.github.cgscanner.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CweFamiliesTest {
  @Test
  void aCweOutsideView1003BelongsToItsNearestAncestorInIt() {
    assertEquals("CWE-89", CweFamilies.family("CWE-564"));
    assertEquals("CWE-79", CweFamilies.family("CWE-80"));
    assertEquals("CWE-22", CweFamilies.family("cwe-36"));
    assertEquals("CWE-94", CweFamilies.family("95"));
    assertEquals("CWE-798", CweFamilies.family("CWE-259"));
  }

  @Test
  void membersOfTheViewAndUnknownCwesAreTheirOwnFamily() {
    assertEquals("CWE-89", CweFamilies.family("CWE-89"));
    assertEquals("CWE-78", CweFamilies.family("CWE-78"));
    assertEquals("CWE-4242", CweFamilies.family("CWE-4242"));
  }

  @Test
  void noCweIsTheFamilyNone() {
    assertEquals(CweFamilies.NONE, CweFamilies.family(null));
    assertEquals(CweFamilies.NONE, CweFamilies.family("SQL injection"));
  }
}
