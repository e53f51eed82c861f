package io.github.cgscanner.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Recognises hosts that are IP addresses in any notation a resolver or URL parser accepts: dotted,
 * shortened ({@code 127.1}), octal ({@code 0177.0.0.1}), hex ({@code 0x7f000001}), plain decimal
 * ({@code 2130706433}) and bracketed IPv6. Never does a DNS lookup.
 */
final class IpLiteral {
  private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*");

  private IpLiteral() {}

  /**
   * True when {@code host} is an address literal, or ends in a numeric label (which URL parsers read
   * as IPv4 and no real top-level domain is).
   */
  static boolean isLiteral(String host) {
    String h = stripTrailingDot(host);
    if (h.startsWith("[") || h.indexOf(':') >= 0) return true;
    String[] labels = h.split("\\.", -1);
    return parse(h) != null || NUMBER.matcher(labels[labels.length - 1]).matches();
  }

  /** The address {@code host} denotes as a literal, or null when it is a name. */
  static InetAddress parse(String host) {
    String h = stripTrailingDot(host);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.indexOf(':') >= 0) return parseIpv6(h);
    long v4 = parseIpv4(h);
    if (v4 < 0) return null;
    byte[] b = {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** inet_aton rules: 1 to 4 parts, the last one filling the remaining bytes; -1 when not a literal. */
  static long parseIpv4(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) return -1;
    long[] vals = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!NUMBER.matcher(parts[i]).matches()) return -1;
      vals[i] = number(parts[i]);
      if (vals[i] < 0) return -1;
    }
    long result = 0;
    for (int i = 0; i < vals.length - 1; i++) {
      if (vals[i] > 0xff) return -1;
      result |= vals[i] << (24 - 8 * i);
    }
    long last = vals[vals.length - 1];
    int lastBits = 32 - 8 * (vals.length - 1);
    if (last >= (1L << lastBits)) return -1;
    return result | last;
  }

  private static long number(String s) {
    try {
      if (s.length() > 1 && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
        return s.length() == 2 ? 0 : bounded(Long.parseLong(s.substring(2), 16), s.length() - 2 > 8);
      }
      if (s.length() > 1 && s.charAt(0) == '0') return bounded(Long.parseLong(s.substring(1), 8), s.length() > 12);
      return bounded(Long.parseLong(s), s.length() > 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long bounded(long v, boolean tooLong) {
    return tooLong || v > 0xffffffffL ? -1 : v;
  }

  private static InetAddress parseIpv6(String h) {
    try {
      // Brackets make the JDK treat the text as an IPv6 literal and never fall back to DNS.
      return InetAddress.getByName("[" + h + "]");
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String stripTrailingDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
