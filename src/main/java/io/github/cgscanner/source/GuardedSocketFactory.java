package io.github.cgscanner.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS socket factory that checks the exact address each connection goes to. The JDK's HTTPS client
 * asks for an unconnected socket, connects it to the address it resolved, then layers TLS on it: the
 * check therefore runs after DNS and right before connect, so a name that re-resolves to an internal
 * address between our pre-check and the clone is still refused.
 */
final class GuardedSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();

  @Override
  public Socket createSocket() {
    return new GuardedSocket();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    if (!(s instanceof GuardedSocket)) throw new SocketException("unchecked socket");
    return tls.createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return layered(new InetSocketAddress(host, port), host);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return layered(new InetSocketAddress(host, port), host);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return layered(new InetSocketAddress(host, port), host.getHostName());
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return layered(new InetSocketAddress(address, port), address.getHostName());
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }

  private Socket layered(InetSocketAddress address, String host) throws IOException {
    Socket plain = new GuardedSocket();
    plain.connect(address);
    return tls.createSocket(plain, host, address.getPort(), true);
  }

  static final class GuardedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress isa) || isa.isUnresolved()) {
        throw new UnknownHostException("unresolved address");
      }
      if (AddressGuard.isForbidden(isa.getAddress())) throw new RefusedAddressException();
      super.connect(endpoint, timeout);
    }
  }
}
