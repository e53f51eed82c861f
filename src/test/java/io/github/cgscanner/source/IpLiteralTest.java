package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "0x7f.0.0.1, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "127.1, 127.0.0.1",
    "10.1.2, 10.1.0.2",
    "169.254.169.254, 169.254.169.254",
    "0xa9fea9fe, 169.254.169.254",
    "127.0.0.1., 127.0.0.1",
    "0, 0.0.0.0",
  })
  void parsesEveryIpv4Notation(String host, String expected) {
    assertEquals(expected, IpLiteral.parse(host).getHostAddress());
    assertTrue(IpLiteral.isLiteral(host));
  }

  @ParameterizedTest
  @CsvSource({"[::1], 0:0:0:0:0:0:0:1", "::1, 0:0:0:0:0:0:0:1", "[fe80::1], fe80:0:0:0:0:0:0:1"})
  void parsesIpv6(String host, String expected) {
    assertEquals(expected, IpLiteral.parse(host).getHostAddress());
    assertTrue(IpLiteral.isLiteral(host));
  }

  @Test
  void mappedIpv6IsSeenAsItsIpv4() {
    InetAddress a = IpLiteral.parse("[::ffff:127.0.0.1]");
    assertEquals("127.0.0.1", a.getHostAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"github.com", "gitlab.com", "a1.example", "0x.example", "1example.com"})
  void namesAreNotLiterals(String host) {
    assertNull(IpLiteral.parse(host));
    assertFalse(IpLiteral.isLiteral(host));
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "0x100000000", "08.0.0.1", "example.123", "foo.0x7f"})
  void malformedOrNumericEndingHostsCountAsLiterals(String host) {
    assertTrue(IpLiteral.isLiteral(host), host);
  }
}
