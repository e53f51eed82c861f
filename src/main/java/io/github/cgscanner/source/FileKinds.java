package io.github.cgscanner.source;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a file is, from its name and first bytes. "Source" is deliberately generous: anything a human
 * would review for security (code, templates, shell, build scripts, infrastructure as code). YAML is
 * reviewed when it drives CI or deployments (pipelines, compose files, Kubernetes manifests, which
 * carry privileges and secrets wiring); other YAML, JSON, XML, properties etc. are configuration and
 * go to the local checks only.
 */
final class FileKinds {
  static final Set<String> VCS_DIRS = Set.of(".git", ".hg", ".svn");
  static final Set<String> DEPENDENCY_DIRS =
      Set.of("node_modules", "vendor", "bower_components", ".venv", "venv", "site-packages", "Pods", ".gradle", ".m2");
  static final Set<String> BUILD_DIRS =
      Set.of("target", "build", "dist", "out", "bin", "obj", ".next", "__pycache__", "coverage");
  static final Set<String> LOCK_FILES = Set.of("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock",
      "poetry.lock", "Gemfile.lock", "composer.lock", "go.sum");

  private static final Set<String> SOURCE_EXTENSIONS = Set.of(
      "java", "kt", "kts", "scala", "sc", "groovy", "gradle", "clj", "cljs", "cljc",
      "c", "h", "cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "m", "mm", "cs", "fs", "fsx", "vb",
      "go", "rs", "swift", "dart", "zig", "nim", "d", "cr", "v",
      "py", "pyw", "pyi", "pyx", "rb", "rake", "erb", "php", "phtml", "pl", "pm", "lua", "r", "jl",
      "ex", "exs", "erl", "hrl", "elm", "hs", "ml", "mli", "coffee", "awk",
      "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte", "astro",
      "html", "htm", "xhtml", "jsp", "jspx", "asp", "aspx", "cshtml", "razor", "ejs", "hbs", "handlebars",
      "mustache", "twig", "jinja", "jinja2", "j2", "njk", "liquid", "pug", "xsl", "xslt",
      "sh", "bash", "zsh", "ksh", "fish", "ps1", "psm1", "bat", "cmd",
      "sql", "sol", "vy", "move", "tf", "tfvars", "hcl", "nix", "cmake", "mk", "dockerfile");
  private static final Set<String> SOURCE_NAMES = Set.of("Dockerfile", "Containerfile", "Makefile", "GNUmakefile",
      "makefile", "Jenkinsfile", "Vagrantfile", "Rakefile", "Gemfile", "Podfile", "Fastfile", "CMakeLists.txt",
      "Tiltfile", "BUILD", "BUILD.bazel", "WORKSPACE");
  private static final Set<String> BINARY_EXTENSIONS = Set.of(
      "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "heic", "avif",
      "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
      "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "ear", "aar", "apk", "ipa", "whl",
      "class", "dex", "so", "dll", "dylib", "exe", "o", "a", "lib", "obj", "pyc", "pyo", "wasm", "node",
      "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "wav", "ogg", "flac", "avi", "mov", "mkv", "webm",
      "db", "sqlite", "sqlite3", "iso", "dmg", "img", "jks", "keystore", "p12", "pfx", "der");
  private static final Pattern CI_YAML = Pattern.compile(
      "(^|.*/)(\\.github/(workflows|actions)/.*|\\.gitlab-ci\\.ya?ml|\\.circleci/.*|azure-pipelines.*|"
          + "bitbucket-pipelines\\.ya?ml|\\.travis\\.ya?ml|(docker-)?compose[^/]*\\.ya?ml|action\\.ya?ml|"
          + "cloudbuild[^/]*\\.ya?ml|\\.drone\\.ya?ml|buildspec[^/]*\\.ya?ml|(charts?|helm)/.*\\.ya?ml)");
  private static final Pattern K8S_API_VERSION = Pattern.compile("(?m)^apiVersion:");
  private static final Pattern K8S_KIND = Pattern.compile("(?m)^kind:");

  private FileKinds() {}

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static boolean isLockFile(String name) {
    return LOCK_FILES.contains(name);
  }

  static boolean isBinaryByName(String name) {
    return BINARY_EXTENSIONS.contains(extension(name));
  }

  static boolean isMinifiedByName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".min.js") || lower.endsWith(".min.css");
  }

  static boolean hasNul(byte[] head, int length) {
    for (int i = 0; i < length; i++) if (head[i] == 0) return true;
    return false;
  }

  /** @param head the first bytes of the file, for scripts without extension and Kubernetes manifests */
  static boolean isSource(String path, String name, byte[] head, int length) {
    String ext = extension(name);
    if (SOURCE_EXTENSIONS.contains(ext) || SOURCE_NAMES.contains(name) || name.startsWith("Dockerfile.")) return true;
    if (ext.equals("yml") || ext.equals("yaml")) {
      String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
      return CI_YAML.matcher(path).matches() || (K8S_API_VERSION.matcher(text).find() && K8S_KIND.matcher(text).find());
    }
    return ext.isEmpty() && length > 2 && head[0] == '#' && head[1] == '!';
  }
}
