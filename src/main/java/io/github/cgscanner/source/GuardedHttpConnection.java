package io.github.cgscanner.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URL;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;

/**
 * JGit view of one {@link HttpsURLConnection}. JGit may ask to relax TLS checks or follow redirects;
 * those requests are ignored, and the response body counts against the clone's byte budget.
 */
final class GuardedHttpConnection implements HttpConnection {
  private final HttpsURLConnection c;
  private final AtomicLong downloaded;
  private final long maxBytes;

  GuardedHttpConnection(HttpsURLConnection c, AtomicLong downloaded, long maxBytes) {
    this.c = c;
    this.downloaded = downloaded;
    this.maxBytes = maxBytes;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return new FilterInputStream(c.getInputStream()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) count(n);
        return n;
      }
    };
  }

  private void count(int n) throws RepositoryTooLargeException {
    if (downloaded.addAndGet(n) > maxBytes) throw new RepositoryTooLargeException();
  }

  @Override
  public void setInstanceFollowRedirects(boolean followRedirects) {
    c.setInstanceFollowRedirects(false);
  }

  @Override
  public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
    // TLS verification is never relaxed for a clone.
  }

  @Override
  public void setHostnameVerifier(HostnameVerifier hostnameVerifier) {
    // TLS verification is never relaxed for a clone.
  }

  @Override
  public int getResponseCode() throws IOException {
    return c.getResponseCode();
  }

  @Override
  public URL getURL() {
    return c.getURL();
  }

  @Override
  public String getResponseMessage() throws IOException {
    return c.getResponseMessage();
  }

  @Override
  public Map<String, List<String>> getHeaderFields() {
    return c.getHeaderFields();
  }

  @Override
  public void setRequestProperty(String key, String value) {
    c.setRequestProperty(key, value);
  }

  @Override
  public void setRequestMethod(String method) throws ProtocolException {
    c.setRequestMethod(method);
  }

  @Override
  public void setUseCaches(boolean useCaches) {
    c.setUseCaches(useCaches);
  }

  @Override
  public void setConnectTimeout(int timeout) {
    c.setConnectTimeout(timeout);
  }

  @Override
  public void setReadTimeout(int timeout) {
    c.setReadTimeout(timeout);
  }

  @Override
  public String getContentType() {
    return c.getContentType();
  }

  @Override
  public String getHeaderField(String name) {
    return c.getHeaderField(name);
  }

  @Override
  public List<String> getHeaderFields(String name) {
    return c.getHeaderFields().entrySet().stream()
        .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .toList();
  }

  @Override
  public int getContentLength() {
    return c.getContentLength();
  }

  @Override
  public void setDoOutput(boolean dooutput) {
    c.setDoOutput(dooutput);
  }

  @Override
  public void setFixedLengthStreamingMode(int contentLength) {
    c.setFixedLengthStreamingMode(contentLength);
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return c.getOutputStream();
  }

  @Override
  public void setChunkedStreamingMode(int chunklen) {
    c.setChunkedStreamingMode(chunklen);
  }

  @Override
  public String getRequestMethod() {
    return c.getRequestMethod();
  }

  @Override
  public boolean usingProxy() {
    return c.usingProxy();
  }

  @Override
  public void connect() throws IOException {
    c.connect();
  }
}
