package io.github.cgscanner.cluster;

import io.github.cgscanner.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {@code CLUSTER_MEMBERS}: {@code host:port} or {@code host:a-b} ranges, comma-separated. */
final class MemberList {
  private static final Pattern MEMBER = Pattern.compile("([^:,\\s]+):(\\d{1,5})(?:-(\\d{1,5}))?");

  private MemberList() {}

  static List<String> expand(List<String> members) {
    List<String> out = new ArrayList<>();
    for (String m : members) {
      Matcher match = MEMBER.matcher(m.trim());
      if (!match.matches()) {
        throw new ConfigException("cluster.members (CLUSTER_MEMBERS): '" + m + "' is not host:port or host:a-b");
      }
      int from = Integer.parseInt(match.group(2));
      int to = match.group(3) == null ? from : Integer.parseInt(match.group(3));
      if (from < 1 || to > 65535 || to < from || to - from > 1000) {
        throw new ConfigException("cluster.members (CLUSTER_MEMBERS): bad port range in '" + m + "'");
      }
      for (int p = from; p <= to; p++) out.add(match.group(1) + ":" + p);
    }
    return out;
  }
}
