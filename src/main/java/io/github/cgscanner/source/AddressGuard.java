package io.github.cgscanner.source;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses a clone may connect to: public unicast only. Internal ranges are refused so
 * a submitted URL cannot reach loopback services, the private network or cloud metadata endpoints.
 */
final class AddressGuard {

  /** {network, prefix length} of IPv4 ranges that are not public unicast. */
  private static final long[][] V4_REFUSED = {
    {0x00000000L, 8}, // "this network"
    {0x0a000000L, 8}, // private
    {0x64400000L, 10}, // carrier-grade NAT
    {0x7f000000L, 8}, // loopback
    {0xa9fe0000L, 16}, // link-local, incl. 169.254.169.254 metadata
    {0xac100000L, 12}, // private
    {0xc0000000L, 24}, // IETF protocol assignments
    {0xc0a80000L, 16}, // private
    {0xc6120000L, 15}, // benchmarking
    {0xe0000000L, 4}, // multicast
    {0xf0000000L, 4}, // reserved, broadcast
  };

  private AddressGuard() {}

  static boolean isForbidden(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) return v4Forbidden(v4(b, 0));
    if (a instanceof Inet6Address) return v6Forbidden(b);
    return true;
  }

  private static boolean v6Forbidden(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if ((first & 0xfe) == 0xfc) return true; // unique local fc00::/7
    if (first == 0xfe && (second & 0xc0) == 0x80) return true; // link-local fe80::/10
    if (first == 0xfe && (second & 0xc0) == 0xc0) return true; // old site-local fec0::/10
    if (first == 0xff) return true; // multicast
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return v4Forbidden(v4(b, 12)); // ::ffff:a.b.c.d
    if (zero(b, 0, 12)) return true; // ::, ::1 and deprecated IPv4-compatible ::a.b.c.d
    if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
      return v4Forbidden(v4(b, 12)); // NAT64 64:ff9b::/96
    }
    if (first == 0x20 && second == 0x02) return v4Forbidden(v4(b, 2)); // 6to4 2002::/16
    if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) return true; // Teredo 2001::/32 tunnels
    return first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8; // documentation
  }

  private static boolean v4Forbidden(long ip) {
    for (long[] range : V4_REFUSED) {
      long mask = (0xffffffffL << (32 - range[1])) & 0xffffffffL;
      if ((ip & mask) == range[0]) return true;
    }
    return false;
  }

  private static long v4(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] != 0) return false;
    return true;
  }
}
