package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "0.0.0.0", "100.64.0.1", "100.127.255.255", "224.0.0.1", "255.255.255.255",
      "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
      "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2001:0:4136:e378::1", "2001:db8::1"})
  void refusesInternalAddresses(String ip) {
    assertTrue(AddressGuard.isForbidden(IpLiteral.parse(ip)), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"140.82.112.3", "8.8.8.8", "100.128.0.1", "172.32.0.1", "192.169.0.1",
      "2606:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8", "2002:0808:0808::"})
  void allowsPublicAddresses(String ip) {
    assertFalse(AddressGuard.isForbidden(IpLiteral.parse(ip)), ip);
  }

  @Test
  void mappedAddressBuiltFromBytesIsChecked() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    assertTrue(AddressGuard.isForbidden(java.net.Inet6Address.getByAddress(null, mapped, -1)));
  }

  @Test
  void guardedSocketRefusesLoopbackBeforeConnecting() throws IOException {
    try (Socket s = new GuardedSocketFactory().createSocket()) {
      assertThrows(RefusedAddressException.class,
          () -> s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443), 1000));
      assertFalse(s.isConnected());
    }
  }

  @Test
  void guardedSocketRefusesLayeringOverUncheckedSockets() throws IOException {
    try (Socket plain = new Socket()) {
      assertThrows(java.net.SocketException.class,
          () -> new GuardedSocketFactory().createSocket(plain, "github.com", 443, true));
    }
  }

  @Test
  void httpConnectionsRefuseLoopbackAndPlainHttp() throws Exception {
    GuardedHttpConnectionFactory f = new GuardedHttpConnectionFactory(1000);
    assertThrows(IOException.class, () -> f.create(new URL("http://github.com/x")));
    var c = f.create(new URL("https://127.0.0.1:9/x.git/info/refs"));
    c.setConnectTimeout(1000);
    IOException e = assertThrows(IOException.class, c::connect);
    assertEquals(RefusedAddressException.class, rootCause(e).getClass());
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t;
  }
}
