package io.github.cgscanner.domain;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Project names (SPEC "Projects"): a slug given in {@code options.project}, else one derived from the
 * canonical git URL — host lower-cased, credentials, {@code .git} and trailing {@code /} dropped,
 * {@code github.com/owner/repo} → {@code github.com-owner-repo}. A derived name is lower-cased whole and
 * anything outside the slug's characters becomes {@code -}, so that it is a valid slug too.
 */
public final class Projects {
  public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  private Projects() {}

  public static boolean isSlug(String name) {
    return name != null && SLUG.matcher(name).matches();
  }

  /** @return the project of a git URL, or null when the URL has no host or path to name one after */
  public static String fromGitUrl(String url) {
    if (url == null) return null;
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (uri.getHost() == null || uri.getPath() == null) return null;
    String path = uri.getPath().replaceAll("/+$", "").replaceAll("(?i)\\.git$", "").replaceAll("^/+", "");
    if (path.isEmpty()) return null;
    String name = (uri.getHost() + "-" + path.replace('/', '-')).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    name = name.replaceAll("^[^a-z0-9]+", "");
    if (name.length() > 100) name = name.substring(0, 100);
    return isSlug(name) ? name : null;
  }
}
