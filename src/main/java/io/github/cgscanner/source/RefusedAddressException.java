package io.github.cgscanner.source;

import java.net.SocketException;

/** A connection attempt to an address {@link AddressGuard} forbids; the message names no address. */
final class RefusedAddressException extends SocketException {
  RefusedAddressException() {
    super("connection to a refused address");
  }
}
