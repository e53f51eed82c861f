package io.github.cgscanner.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional {@code options} of a submission. {@code verify} is null when the submission leaves the
 * verification pass to {@code review.verify}. {@code models}: only keys of these models review the scan
 * (a team that must keep a repository on its own server names that server's model); empty = any key.
 */
public record ScanOptions(
    List<String> include, List<String> exclude, String instructions, Severity minSeverity, Double maxCostUsd,
    VerifyMode verify, List<String> models, String project) {

  public static final int MAX_INSTRUCTIONS_CHARS = 4000;
  private static final int MAX_MODELS = 32;
  private static final List<String> FIELDS =
      List.of("include", "exclude", "instructions", "minSeverity", "maxCostUsd", "verify", "models", "project");

  public ScanOptions(List<String> include, List<String> exclude, String instructions, Severity minSeverity, Double maxCostUsd) {
    this(include, exclude, instructions, minSeverity, maxCostUsd, null, List.of(), null);
  }

  public static ScanOptions none() {
    return new ScanOptions(List.of(), List.of(), null, Severity.INFO, null);
  }

  /** @throws IllegalArgumentException with a message fit for a 400 answer */
  public static ScanOptions fromJson(JsonObject j) {
    if (j == null) return none();
    for (String field : j.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown option '" + field + "'");
      }
    }
    String instructions = j.getValue("instructions") == null ? null : text(j, "instructions");
    if (instructions != null && instructions.length() > MAX_INSTRUCTIONS_CHARS) {
      throw new IllegalArgumentException("options.instructions is longer than " + MAX_INSTRUCTIONS_CHARS + " characters");
    }
    Severity min = Severity.INFO;
    if (j.getValue("minSeverity") != null) {
      min = Severity.parse(text(j, "minSeverity"));
      if (min == null) {
        throw new IllegalArgumentException("options.minSeverity must be one of critical, high, medium, low, info");
      }
    }
    Double maxCost = null;
    if (j.getValue("maxCostUsd") != null) {
      if (!(j.getValue("maxCostUsd") instanceof Number n) || n.doubleValue() <= 0) {
        throw new IllegalArgumentException("options.maxCostUsd must be a positive number");
      }
      maxCost = n.doubleValue();
    }
    VerifyMode verify = null;
    if (j.getValue("verify") != null) {
      verify = VerifyMode.parse(text(j, "verify"));
      if (verify == null) throw new IllegalArgumentException("options.verify must be one of off, high, all");
    }
    String project = j.getValue("project") == null ? null : text(j, "project");
    if (project != null && !Projects.isSlug(project)) {
      throw new IllegalArgumentException("options.project must be a slug: lower-case letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit, at most 100 characters");
    }
    return new ScanOptions(globs(j, "include"), globs(j, "exclude"), instructions, min, maxCost, verify, models(j), project);
  }

  private static List<String> models(JsonObject j) {
    Object v = j.getValue("models");
    if (v == null) return List.of();
    if (!(v instanceof JsonArray arr) || arr.isEmpty() || arr.size() > MAX_MODELS) {
      throw new IllegalArgumentException("options.models must be a list of 1 to " + MAX_MODELS + " model names");
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || !s.matches("\\S{1,200}")) {
        throw new IllegalArgumentException("options.models must hold model names without spaces");
      }
      if (!out.contains(s)) out.add(s);
    }
    return List.copyOf(out);
  }

  private static String text(JsonObject j, String field) {
    if (!(j.getValue(field) instanceof String s)) {
      throw new IllegalArgumentException("options." + field + " must be a string");
    }
    return s;
  }

  private static List<String> globs(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray arr)) {
      throw new IllegalArgumentException("options." + field + " must be a list of glob patterns");
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || s.isBlank() || s.length() > 500) {
        throw new IllegalArgumentException("options." + field + " must hold non-empty glob patterns");
      }
      out.add(s);
    }
    if (out.size() > 200) throw new IllegalArgumentException("options." + field + " has too many patterns");
    return List.copyOf(out);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("include", new JsonArray(new ArrayList<>(include)))
        .put("exclude", new JsonArray(new ArrayList<>(exclude)))
        .put("instructions", instructions)
        .put("minSeverity", minSeverity.wire())
        .put("maxCostUsd", maxCostUsd)
        .put("verify", verify == null ? null : verify.wire())
        .put("models", models.isEmpty() ? null : new JsonArray(new ArrayList<>(models)))
        .put("project", project);
  }
}
