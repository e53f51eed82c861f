package io.github.cgscanner.rules;

import static io.github.cgscanner.rules.Lang.*;

import io.github.cgscanner.domain.Severity;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Rules on what a web application hands the browser and keeps in its session. */
final class WebRules {
  private WebRules() {}

  private static Set<Lang> only(Lang first, Lang... rest) {
    return EnumSet.of(first, rest);
  }

  private static final String NEW_SERVLET_COOKIE = "\\bnew\\s+(?:javax\\.servlet\\.http\\.|jakarta\\.servlet\\.http\\.)?Cookie\\s*\\(";
  private static final String COOKIE_NEARBY = "(?i)cookie|session";

  static Rule insecureCookie() {
    return new Rule("insecure-cookie", "CWE-614", Severity.MEDIUM, "medium",
        "Cookie without the Secure flag",
        "A cookie is sent without the Secure attribute, so the browser also sends it over plain HTTP, where "
            + "anyone on the network path can read it (session and remember-me cookies can then be replayed).",
        "Set the Secure flag on every cookie (cookie.setSecure(true), secure: true, secure=True), and serve the "
            + "site over HTTPS only.",
        false,
        List.of("secure"  , "cookie"),
        List.of(
            Probe.of("\\.setSecure\\s*\\(\\s*false\\s*\\)|\\.secure\\s*\\(\\s*false\\s*\\)", only(JAVA)),
            Probe.of(NEW_SERVLET_COOKIE, only(JAVA)).requireInFile("\\.addCookie\\s*\\(")
                .when(Sites.notInFile("\\.setSecure\\s*\\(")),
            Probe.of("\\bsecure\\s*:\\s*false\\b", only(JS)).when(Sites.nearby(COOKIE_NEARBY, 5, 5)),
            Probe.of("\\bset_cookie\\s*\\(.*\\bsecure\\s*=\\s*False\\b|\\b(?:SESSION|CSRF)_COOKIE_SECURE\\s*=\\s*False\\b",
                only(PYTHON)),
            Probe.of("\\bSecure\\s*=\\s*false\\b", only(CSHARP)).when(Sites.nearby(COOKIE_NEARBY, 5, 5))));
  }

  static Rule cookieWithoutHttpOnly() {
    return new Rule("cookie-without-httponly", "CWE-1004", Severity.LOW, "medium",
        "Cookie without the HttpOnly flag",
        "A cookie is readable from JavaScript because it lacks the HttpOnly attribute: any cross-site scripting "
            + "flaw can then steal it.",
        "Set HttpOnly on every cookie scripts do not need to read (cookie.setHttpOnly(true), httpOnly: true, "
            + "httponly=True).",
        false,
        List.of("httponly", "cookie"),
        List.of(
            Probe.of("\\.setHttpOnly\\s*\\(\\s*false\\s*\\)|\\.httpOnly\\s*\\(\\s*false\\s*\\)", only(JAVA)),
            Probe.of(NEW_SERVLET_COOKIE, only(JAVA)).requireInFile("\\.addCookie\\s*\\(")
                .when(Sites.notInFile("\\.setHttpOnly\\s*\\(")),
            Probe.of("\\bhttpOnly\\s*:\\s*false\\b", only(JS)),
            Probe.of("\\bset_cookie\\s*\\(.*\\bhttponly\\s*=\\s*False\\b|\\b(?:SESSION|CSRF)_COOKIE_HTTPONLY\\s*=\\s*False\\b",
                only(PYTHON)),
            Probe.of("\\bHttpOnly\\s*=\\s*false\\b", only(CSHARP))));
  }

  /** Code that handles a request: a servlet or reactive request object, or a controller's bound input. */
  private static final String JAVA_REQUEST_HANDLING = "\\b(?:HttpServletRequest|ServletRequest|ServerHttpRequest|ServerRequest)\\b"
      + "|@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute)\\b";

  /**
   * What is kept in the session is usually trusted by later requests; storing there what this request
   * sent (or under a name it chose) mixes trusted and untrusted data. Without following the data the
   * rule cannot tell request input from a value computed on the server, hence its low confidence.
   */
  static Rule trustBoundary() {
    return new Rule("trust-boundary", "CWE-501", Severity.LOW, "low",
        "Request data stored in the session",
        "A value (or an attribute name) that is not a constant is written to the session in code that handles "
            + "a request. Later requests treat session contents as trusted, so unvalidated input stored there "
            + "crosses a trust boundary.",
        "Validate input before it is stored in the session, keep validated and unvalidated data apart, and never "
            + "let the request choose the attribute name.",
        false,
        List.of("setattribute", "putvalue", "session"),
        List.of(
            Probe.of("\\b(?:getSession\\s*\\([^()]*\\)|[sS]ession)\\s*\\.\\s*(?:setAttribute|putValue)\\s*\\(", only(JAVA))
                .requireInFile(JAVA_REQUEST_HANDLING).when(Sites.someArgumentVariable()),
            Probe.of("\\bsession\\s*\\[[^\\]]+]\\s*=\\s*request\\.", only(PYTHON)),
            Probe.of("\\breq\\.session\\.[\\w$]+\\s*=\\s*req\\.(?:body|query|params|headers|cookies)\\b", only(JS))));
  }
}
