package io.github.cgscanner.source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rules for relative paths that come from users (inline files) or archives. Both forms refuse anything
 * that could land outside the target directory; archives are normalised leniently because real tools
 * write {@code ./a}, {@code a//b} or backslashes, while inline paths must already be in normal form.
 */
final class RelativePaths {
  static final int MAX_PATH_CHARS = 1024;
  static final int MAX_SEGMENT_CHARS = 255;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private RelativePaths() {}

  /** @return {@code path} itself when it is relative, '/'-separated and normalised; else throws. */
  static String strict(String path) {
    if (path == null || path.isEmpty()) throw new IllegalArgumentException("is empty");
    checkCharacters(path);
    if (path.indexOf('\\') >= 0) throw new IllegalArgumentException("contains a backslash");
    checkNotAbsolute(path);
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty()) throw new IllegalArgumentException("has an empty segment");
      if (seg.equals(".") || seg.equals("..")) throw new IllegalArgumentException("has a '" + seg + "' segment");
      checkSegment(seg);
    }
    return path;
  }

  /** @return the normalised form of an archive entry name ("" for the archive root); else throws. */
  static String lenient(String name) {
    if (name == null) throw new IllegalArgumentException("is empty");
    String p = name.replace('\\', '/');
    checkCharacters(p);
    checkNotAbsolute(p);
    List<String> out = new ArrayList<>();
    for (String seg : p.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) continue;
      if (seg.equals("..")) throw new IllegalArgumentException("has a '..' segment");
      checkSegment(seg);
      out.add(seg);
    }
    return String.join("/", out);
  }

  private static void checkCharacters(String p) {
    if (p.length() > MAX_PATH_CHARS) throw new IllegalArgumentException("is too long");
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException("contains a control character");
    }
  }

  private static void checkNotAbsolute(String p) {
    if (p.startsWith("/")) throw new IllegalArgumentException("is absolute");
    if (DRIVE.matcher(p).matches()) throw new IllegalArgumentException("starts with a drive letter");
  }

  private static void checkSegment(String seg) {
    if (seg.length() > MAX_SEGMENT_CHARS) throw new IllegalArgumentException("has a segment that is too long");
  }
}
