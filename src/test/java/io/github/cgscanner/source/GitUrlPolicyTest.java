package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitUrlPolicyTest {
  private static final List<String> HOSTS = List.of("github.com", "gitlab.com");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "https://github.com/owner/repo.git | github.com",
    "https://github.com/owner/repo | github.com",
    "HTTPS://GitHub.com/owner/repo | github.com",
    "https://gitlab.com/group/sub/repo.git | gitlab.com",
    "https://github.com:443/owner/repo | github.com",
  })
  void acceptsHttpsUrlsOnAllowedHosts(String url, String host) {
    assertEquals(host, GitUrlPolicy.checkUrl(url, HOSTS));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    // policy: scheme, credentials, port, IP literals, host
    "file:///etc/passwd | source_refused",
    "ext::sh -c touch% /tmp/pwned | invalid_request",
    "ext::sh | source_refused",
    "ssh://git@github.com/owner/repo | source_refused",
    "git@github.com:owner/repo.git | source_refused",
    "git://github.com/owner/repo | source_refused",
    "http://github.com/owner/repo | source_refused",
    "/srv/repos/x | source_refused",
    "./relative | source_refused",
    "https://user:pass@github.com/owner/repo | source_refused",
    "https://token@github.com/owner/repo | source_refused",
    "https://github.com@evil.example/owner/repo | source_refused",
    "https://github.com:8443/owner/repo | source_refused",
    "https://github.com:22/owner/repo | source_refused",
    "https://127.0.0.1/owner/repo | source_refused",
    "https://0177.0.0.1/owner/repo | source_refused",
    "https://0x7f000001/owner/repo | source_refused",
    "https://2130706433/owner/repo | source_refused",
    "https://127.1/owner/repo | source_refused",
    "https://169.254.169.254/latest | source_refused",
    "https://[::1]/owner/repo | source_refused",
    "https://[::ffff:127.0.0.1]/owner/repo | source_refused",
    "https://evil.example/owner/repo | source_refused",
    "https://github.com.evil.example/owner/repo | source_refused",
    "https://evilgithub.com/owner/repo | source_refused",
    "https://sub.github.com/owner/repo | source_refused",
    "https://github.com./owner/repo | source_refused",
    // syntax
    "https://github.com/owner/repo?x=1 | invalid_request",
    "https://github.com/owner/repo#frag | invalid_request",
    "https:// | invalid_request",
    "https://github.com | invalid_request",
    "https://github.com/ | invalid_request",
    "https://git_hub.com/owner/repo | invalid_request",
    "https://github.com/a b | invalid_request",
  })
  void refusesUnsafeUrls(String url, String code) {
    SourceRejected e = assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkUrl(url, HOSTS));
    assertEquals(code, e.code(), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://github.com/a\tb", "https://github.com/a\nb", "https://github.com/a\u0000b",
      "https://github.com/\u00e9t\u00e9", " https://github.com/a/b"})
  void refusesControlCharactersAndWhitespace(String url) {
    assertEquals("invalid_request",
        assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkUrl(url, HOSTS)).code());
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongUrlsAndMissingUrl() {
    String longUrl = "https://github.com/" + "a".repeat(GitUrlPolicy.MAX_URL_CHARS);
    assertEquals("invalid_request", assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkUrl(longUrl, HOSTS)).code());
    assertEquals("invalid_request", assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkUrl(null, HOSTS)).code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "feature/x", "v1.2.3", "refs/heads/main", "release-2024_01", "9fceb02d0ae598e95dc970b74767f19372d61af8"})
  void acceptsSaneRefs(String ref) {
    GitUrlPolicy.checkRef(ref);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a..b", "-upload-pack=evil", "--help", "a b", "a\nb", "a~1", "a^", "a:b", "a?", "a*",
      "a[", "a\\b", "/abs", "a/", "a.lock", "a@{1}", "@", ".hidden", "a//b", "a/.b", "end."})
  void refusesBadRefs(String ref) {
    assertEquals("invalid_request", assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkRef(ref)).code());
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongRef() {
    assertThrows(SourceRejected.class, () -> GitUrlPolicy.checkRef("a".repeat(201)));
    GitUrlPolicy.checkRef("a".repeat(200));
  }
}
