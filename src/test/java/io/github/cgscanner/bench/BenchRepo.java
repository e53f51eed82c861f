package io.github.cgscanner.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip of {@code files} Java files of exactly {@code lines} lines each, so that with a small
 * {@code model.maxChunkTokens} every file is one request of about the same size: requests, files and
 * tokens then scale together and configurations can be compared by files per second. Every fifth file
 * carries one vulnerability the simulator recognises, at a known line.
 */
final class BenchRepo {
  static final String VULNERABLE = "        String query = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";";

  final Path zip;
  final int files;
  final int lines;
  final List<String> planted = new ArrayList<>();

  private BenchRepo(Path zip, int files, int lines) {
    this.zip = zip;
    this.files = files;
    this.lines = lines;
  }

  static BenchRepo generate(Path zip, String prefix, int files, int lines, long seed) throws IOException {
    BenchRepo repo = new BenchRepo(zip, files, lines);
    Random random = new Random(seed);
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < files; i++) {
        String path = "src/" + prefix + "/m" + (i / 50) + "/File" + i + ".java";
        int at = i % 5 == 0 ? 3 + random.nextInt(lines - 4) : -1;
        StringBuilder sb = new StringBuilder();
        for (int n = 1; n <= lines; n++) {
          sb.append(n == at ? VULNERABLE : "        int total" + n + " = count + " + random.nextInt(1000) + "; // step " + n).append('\n');
        }
        if (at > 0) repo.planted.add(path + ":" + at);
        z.putNextEntry(new ZipEntry("repo-main/" + path));
        z.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return repo;
  }

  long totalLines() {
    return (long) files * lines;
  }
}
