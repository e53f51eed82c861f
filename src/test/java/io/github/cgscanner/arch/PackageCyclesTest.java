package io.github.cgscanner.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages under {@code src/main/java} depend on each other without cycles, and the lowest layers
 * depend on nothing above them. Reads the sources (imports and qualified names), so it needs no tool.
 */
class PackageCyclesTest {
  private static final Path ROOT = Path.of("src/main/java/io/github/cgscanner");
  private static final Pattern REFERENCE = Pattern.compile("io\\.github\\.cgscanner\\.([a-z]+)\\.");

  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = ROOT.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("package ")) continue;
          Matcher m = REFERENCE.matcher(line);
          while (m.find()) {
            if (!m.group(1).equals(pkg)) out.add(m.group(1));
          }
        }
      }
    }
    return deps;
  }

  @Test
  void noPackageCycles() throws IOException {
    List<List<String>> cycles = stronglyConnected(dependencies()).stream().filter(c -> c.size() > 1).toList();
    assertEquals(List.of(), cycles, "packages that depend on each other in a circle");
  }

  @Test
  void theDomainDependsOnNothingAndTheProtocolOnlyOnTheDomain() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertEquals(Set.of(), deps.get("domain"));
    assertTrue(Set.of("domain").containsAll(deps.get("protocol")), "protocol depends on " + deps.get("protocol"));
    for (String verticles : List.of("scan", "llm", "http", "cluster", "metrics")) {
      assertTrue(!deps.get(verticles).contains("node") && !deps.get(verticles).contains("cli"),
          verticles + " must not know how the node is wired: " + deps.get(verticles));
    }
  }

  /** Tarjan's algorithm: the strongly connected components of the package graph. */
  static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) visit(v, graph, index, low, stack, onStack, out, counter);
    }
    return out;
  }

  private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
      Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w, graph, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }
}
