package io.github.cgscanner.source;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

/**
 * JGit's HTTP connections for one clone: https only, direct (a proxy would resolve names where we
 * cannot check them), every socket address checked by {@link GuardedSocketFactory}, no redirects, and
 * all response bodies together capped at the repository size limit.
 */
final class GuardedHttpConnectionFactory implements HttpConnectionFactory {
  private final GuardedSocketFactory sockets = new GuardedSocketFactory();
  private final AtomicLong downloaded = new AtomicLong();
  private final long maxBytes;

  GuardedHttpConnectionFactory(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return create(url, Proxy.NO_PROXY);
  }

  @Override
  public HttpConnection create(URL url, Proxy ignored) throws IOException {
    if (!"https".equalsIgnoreCase(url.getProtocol())) throw new IOException("only https is allowed");
    HttpsURLConnection c = (HttpsURLConnection) url.openConnection(Proxy.NO_PROXY);
    c.setSSLSocketFactory(sockets);
    c.setInstanceFollowRedirects(false);
    return new GuardedHttpConnection(c, downloaded, maxBytes);
  }
}
