package io.github.cgscanner.source;

import static io.github.cgscanner.source.SourceRejected.INVALID_REQUEST;
import static io.github.cgscanner.source.SourceRejected.SOURCE_REFUSED;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Submit-time rules for git URLs and refs. Malformed input is {@code invalid_request}; well-formed input
 * that policy forbids (scheme, credentials, port, IP literal, host) is {@code source_refused}.
 */
final class GitUrlPolicy {
  static final int MAX_URL_CHARS = 2048;
  static final int MAX_REF_CHARS = 200;
  static final int MAX_TOKEN_CHARS = 4096;
  private static final String IP_LITERAL = "git URLs must name a host, not an IP address";

  private GitUrlPolicy() {}

  /** @return the URL's host in lower case */
  static String checkUrl(String url, List<String> allowedHosts) {
    if (url == null || url.isEmpty()) throw invalid("source.git.url is required");
    if (url.length() > MAX_URL_CHARS) throw invalid("source.git.url is too long");
    if (!printableAscii(url)) throw invalid("source.git.url contains whitespace, control or non-ASCII characters");
    if (!url.toLowerCase(Locale.ROOT).startsWith("https://")) {
      throw refused("only https:// git URLs are accepted");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("source.git.url is not a valid URL");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) throw invalid("source.git.url has no host");
    if (authority.indexOf('@') >= 0) throw refused("git URLs must not carry credentials; send a token instead");
    String host = uri.getHost();
    if (host == null) {
      // java.net.URI rejects some numeric forms (127.1) as host names; they are still IP literals.
      if (IpLiteral.isLiteral(authority.replaceFirst(":[0-9]*$", ""))) throw refused(IP_LITERAL);
      throw invalid("source.git.url has no valid host");
    }
    if (uri.getPort() != -1 && uri.getPort() != 443) throw refused("git URLs must use the default https port");
    if (IpLiteral.isLiteral(host)) throw refused(IP_LITERAL);
    String lower = host.toLowerCase(Locale.ROOT);
    if (allowedHosts.stream().noneMatch(h -> h.toLowerCase(Locale.ROOT).equals(lower))) {
      throw refused("git host '" + lower + "' is not in the allowed list");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid("source.git.url must not have a query or fragment");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() < 2) throw invalid("source.git.url names no repository");
    return lower;
  }

  /** A conservative subset of git-check-ref-format: branch or tag names, never options or ranges. */
  static void checkRef(String ref) {
    if (ref.isEmpty() || ref.length() > MAX_REF_CHARS) throw invalid("source.git.ref must have 1 to 200 characters");
    if (!printableAscii(ref)) throw invalid("source.git.ref contains whitespace or control characters");
    for (char c : new char[] {'~', '^', ':', '?', '*', '[', '\\'}) {
      if (ref.indexOf(c) >= 0) throw invalid("source.git.ref contains '" + c + "'");
    }
    if (ref.startsWith("-") || ref.startsWith("/") || ref.startsWith(".")) {
      throw invalid("source.git.ref must not start with '-', '/' or '.'");
    }
    if (ref.contains("..") || ref.contains("//") || ref.contains("@{") || ref.contains("/.") || ref.equals("@")
        || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")) {
      throw invalid("source.git.ref is not a valid ref name");
    }
  }

  static void checkToken(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !printableAscii(token)) {
      throw invalid("source.git.token is not a valid token");
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
  }

  private static SourceRejected invalid(String message) {
    return new SourceRejected(INVALID_REQUEST, message);
  }

  private static SourceRejected refused(String message) {
    return new SourceRejected(SOURCE_REFUSED, message);
  }
}
