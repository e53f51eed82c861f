package io.github.cgscanner.bench;

import io.github.cgscanner.source.SourceText;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Rebuilds the files Samsung's CredData labelled, from mirrors of the labelled repositories, the way its
 * {@code download_data.py} lays them out: {@code snapshot.json} maps a 64-hex id (commit + padding) to a
 * repository URL, the meta file of a repository is {@code meta/<crc32 of the id's bytes>.csv}, and a
 * labelled file's {@code FileID} is the first 8 hex digits of the SHA-256 of its path in the repository.
 * Mirrors are bare git directories named {@code owner+name/repo} (or {@code repo/.git}) under one folder.
 */
final class CredData {

  /** One labelled line range; {@code truth} is T, F or X. */
  record Label(int lineStart, int lineEnd, String truth, List<String> categories) {
    boolean overlaps(int start, int end) {
      return start <= lineEnd && lineStart <= end;
    }
  }

  record LabelledFile(String repo, String path, String text, long bytes, List<Label> labels) {}

  record Loaded(List<LabelledFile> files, List<String> usableRepos, List<String> notes) {}

  private final Path mirrors;
  private final Path credData;

  CredData(Path mirrors) {
    this.mirrors = mirrors;
    this.credData = gitDir(mirrors.resolve("Samsung+CredData"));
  }

  boolean present() {
    return credData != null;
  }

  Loaded load(List<String> repos) throws IOException {
    JsonObject snapshot = new JsonObject(git(credData, "show", "HEAD:snapshot.json"));
    Map<String, String> idByRepo = new LinkedHashMap<>();
    snapshot.forEach(e -> idByRepo.put(repoOf(String.valueOf(e.getValue())), e.getKey()));
    List<LabelledFile> files = new ArrayList<>();
    List<String> usable = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String repo : repos) {
      String id = idByRepo.get(repo.toLowerCase(Locale.ROOT));
      Path dir = gitDir(mirrors.resolve(repo.replace('/', '+')));
      if (id == null) {
        notes.add(repo + ": not in CredData's snapshot.json, skipped");
      } else if (dir == null) {
        notes.add(repo + ": no mirror, skipped");
      } else if (!hasCommit(dir, id.substring(0, 40))) {
        notes.add(repo + ": labelled commit " + id.substring(0, 12) + " not in the mirror, skipped");
      } else {
        usable.add(repo);
        files.addAll(repoFiles(repo, dir, id, notes));
      }
    }
    return new Loaded(files, usable, notes);
  }

  private List<LabelledFile> repoFiles(String repo, Path dir, String id, List<String> notes) throws IOException {
    String commit = id.substring(0, 40);
    Map<String, List<Label>> labelsByFileId = labels(metaId(id));
    Map<String, String[]> entries = new LinkedHashMap<>();
    for (String entry : git(dir, "ls-tree", "-r", "-z", commit).split("\0")) {
      int tab = entry.indexOf('\t');
      if (tab < 0) continue;
      String[] meta = entry.substring(0, tab).split(" ");
      String path = entry.substring(tab + 1);
      if (!meta[1].equals("blob") || meta[0].equals("120000")) continue;
      String fileId = sha256Prefix(path);
      if (labelsByFileId.containsKey(fileId)) entries.put(fileId, new String[] {path, meta[2]});
    }
    List<LabelledFile> out = new ArrayList<>();
    for (Map.Entry<String, List<Label>> e : labelsByFileId.entrySet()) {
      String[] found = entries.get(e.getKey());
      if (found == null) {
        notes.add(repo + ": labelled file " + e.getKey() + " not in the tree, " + e.getValue().size() + " labels left out");
        continue;
      }
      byte[] bytes = blob(dir, found[1]);
      if (bytes == null) {
        notes.add(repo + ": " + found[0] + " is absent from the mirror (too large for a snapshot), "
            + e.getValue().size() + " labels left out");
        continue;
      }
      out.add(new LabelledFile(repo, found[0], SourceText.decode(bytes), bytes.length, e.getValue()));
    }
    return out;
  }

  private Map<String, List<Label>> labels(String metaId) throws IOException {
    String csv = git(credData, "show", "HEAD:meta/" + metaId + ".csv");
    String[] lines = csv.split("\n");
    List<String> header = List.of(lines[0].trim().split(","));
    int fileId = header.indexOf("FileID");
    int start = header.indexOf("LineStart");
    int end = header.indexOf("LineEnd");
    int truth = header.indexOf("GroundTruth");
    int category = header.indexOf("Category");
    Map<String, List<Label>> out = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      String[] f = lines[i].trim().split(",", -1);
      out.computeIfAbsent(f[fileId], k -> new ArrayList<>()).add(new Label(Integer.parseInt(f[start]),
          Integer.parseInt(f[end]), f[truth], List.of(f[category].split(":"))));
    }
    return out;
  }

  static String metaId(String snapshotId) {
    CRC32 crc = new CRC32();
    crc.update(HexFormat.of().parseHex(snapshotId));
    return String.format("%08x", crc.getValue());
  }

  private static String repoOf(String url) {
    return url.replaceFirst("^https://github\\.com/", "").replaceFirst("\\.git$", "").toLowerCase(Locale.ROOT);
  }

  private static String sha256Prefix(String path) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path gitDir(Path mirror) {
    for (Path candidate : List.of(mirror.resolve("repo"), mirror.resolve("repo/.git"))) {
      if (Files.isDirectory(candidate.resolve("objects"))) return candidate;
    }
    return null;
  }

  private static boolean hasCommit(Path dir, String commit) throws IOException {
    return run(dir, "cat-file", "-e", commit + "^{commit}") != null;
  }

  private static byte[] blob(Path dir, String sha) throws IOException {
    return run(dir, "cat-file", "blob", sha);
  }

  private static String git(Path dir, String... args) throws IOException {
    byte[] out = run(dir, args);
    if (out == null) throw new IOException("git " + String.join(" ", args) + " failed in " + dir);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The output of a git command, or null when it fails. */
  private static byte[] run(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + dir));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    try {
      return p.waitFor() == 0 ? out.toByteArray() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
