package io.github.cgscanner.rules;

import java.util.Locale;
import java.util.Map;

/** Source languages the local rules know, told apart by file extension. */
enum Lang {
  JAVA, PYTHON, JS, GO, PHP, RUBY, CSHARP, SHELL, CONFIG, OTHER;

  private static final Map<String, Lang> BY_EXTENSION = Map.ofEntries(
      Map.entry("java", JAVA), Map.entry("kt", JAVA), Map.entry("kts", JAVA), Map.entry("scala", JAVA),
      Map.entry("groovy", JAVA), Map.entry("py", PYTHON), Map.entry("pyw", PYTHON), Map.entry("js", JS),
      Map.entry("jsx", JS), Map.entry("ts", JS), Map.entry("tsx", JS), Map.entry("mjs", JS), Map.entry("cjs", JS),
      Map.entry("vue", JS), Map.entry("svelte", JS), Map.entry("go", GO), Map.entry("php", PHP),
      Map.entry("phtml", PHP), Map.entry("rb", RUBY), Map.entry("rake", RUBY), Map.entry("cs", CSHARP),
      Map.entry("sh", SHELL), Map.entry("bash", SHELL), Map.entry("zsh", SHELL), Map.entry("env", CONFIG),
      Map.entry("yml", CONFIG), Map.entry("yaml", CONFIG), Map.entry("properties", CONFIG),
      Map.entry("ini", CONFIG), Map.entry("toml", CONFIG), Map.entry("cfg", CONFIG), Map.entry("conf", CONFIG));

  static Lang of(String path) {
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.startsWith(".env") || name.equals("dockerfile")) return CONFIG;
    int dot = name.lastIndexOf('.');
    return dot < 0 ? OTHER : BY_EXTENSION.getOrDefault(name.substring(dot + 1), OTHER);
  }

  boolean slashComments() {
    return this == JAVA || this == JS || this == GO || this == PHP || this == CSHARP;
  }

  boolean hashComments() {
    return this == PYTHON || this == RUBY || this == PHP || this == SHELL || this == CONFIG;
  }
}
