package io.github.cgscanner.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the checked-in chart with Helm's own template engine (helm-java bundles Helm's Go library),
 * so tests need no helm binary. {@link #main} stands in for {@code helm template} on the PATH of the
 * deploy script in tests.
 */
final class Chart {
  static final Path DIR = Path.of("docker/helm/chatgpt-security-scanner").toAbsolutePath();
  static final String RELEASE = "scanner";

  private Chart() {}

  /** The rendered manifests; {@code sets} are Helm {@code --set} pairs. */
  static String template(String namespace, Map<String, String> sets) {
    TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(namespace);
    sets.forEach(command::set);
    return command.call();
  }

  static List<Map<String, Object>> objects(String manifests) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(manifests)) {
      if (doc != null) objects.add(Yaml2.map(doc));
    }
    return objects;
  }

  static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(Yaml2.at(o, "metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"));
  }

  static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /**
   * {@code helm template NAME CHART [--namespace NS] [-f FILE]...}: the subset the deploy script uses,
   * printed to standard output like the real command.
   */
  public static void main(String[] args) {
    if (args.length < 3 || !args[0].equals("template")) {
      System.err.println("usage: helm template NAME CHART [--namespace NS] [-f FILE]...");
      System.exit(2);
    }
    TemplateCommand command = new Helm(Path.of(args[2])).template().withName(args[1]);
    for (int i = 3; i < args.length; i += 2) {
      String value = Objects.requireNonNull(i + 1 < args.length ? args[i + 1] : null, args[i] + " needs a value");
      switch (args[i]) {
        case "--namespace", "-n" -> command.withNamespace(value);
        case "-f", "--values" -> command.withValuesFile(Path.of(value));
        default -> throw new IllegalArgumentException("not supported here: " + args[i]);
      }
    }
    try {
      System.out.print(command.call());
    } catch (RuntimeException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(1);
    }
  }
}
