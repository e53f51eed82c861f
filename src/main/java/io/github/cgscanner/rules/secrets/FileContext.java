package io.github.cgscanner.rules.secrets;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a file's path says about the values in it: whether a bare (unquoted) value is a value at all, and
 * whether the file is a test fixture, an example or documentation, where credentials are more often made up.
 */
record FileContext(boolean bareValues, boolean code, boolean prose, boolean lowTrust) {

  private static final Set<String> CODE = Set.of(
      "java", "kt", "kts", "scala", "groovy", "gradle", "py", "pyw", "pyi", "js", "jsx", "ts", "tsx", "mjs", "cjs",
      "vue", "svelte", "go", "php", "phtml", "rb", "rake", "cs", "c", "h", "cc", "cpp", "hpp", "m", "mm", "swift",
      "rs", "dart", "ex", "exs", "erl", "clj", "cljs", "lua", "pl", "pm", "t", "r", "jl", "hs", "fs", "vb", "coffee",
      "snap", "json", "jsonc", "json5", "ndjson", "har", "ipynb", "tfstate", "graphql");

  private static final Set<String> PROSE = Set.of("md", "markdown", "rst", "adoc", "asciidoc", "txt", "html", "htm", "textile");

  /** Paths of tests, fixtures, examples, samples and documentation. */
  private static final Pattern LOW_TRUST = Pattern.compile(
      "(?i)(?:^|/)(?:tests?|spec|specs|__tests__|testdata|test[-_]?data|fixtures?|mocks?|examples?|samples?|demos?"
          + "|docs?|documentation|cassettes|stubs?|fakes?)(?:/|$)|(?:^|/)[^/]*(?:_test|\\.test|_spec|\\.spec|Test|Tests|Spec"
          + "|\\.example|\\.sample|\\.dist|\\.template)\\.[^/]*$|\\.(?:md|markdown|rst|adoc|asciidoc|txt)$");

  static FileContext of(String path) {
    String p = path == null ? "" : path;
    String name = p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    boolean code = CODE.contains(ext) && !name.startsWith(".env");
    return new FileContext(!code, code, PROSE.contains(ext), LOW_TRUST.matcher(p).find());
  }
}
