package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link CredDataBench} under {@code -Pbench}: skipped unless the mirrors are there. Run:
 * {@code mvn -B -Pbench verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CredDataBenchIT
 * -Dcreddata.dir=/work/.mirror -Dcreddata.repos=../shared/data/creddata-dev-repos.txt}. Fails if a target
 * (overall recall and precision 0.90, 0.70 recall per category of 30 labels or more, 20 MB/s per core) is missed.
 */
class CredDataBenchIT {

  @Test
  void secretsDetectorOnCredData() throws Exception {
    String dir = System.getProperty("creddata.dir", "");
    String repos = System.getProperty("creddata.repos", "../shared/data/creddata-dev-repos.txt");
    assumeTrue(!dir.isEmpty() && Files.isRegularFile(Path.of(repos)), "set -Dcreddata.dir and -Dcreddata.repos");
    CredData data = new CredData(Path.of(dir));
    assumeTrue(data.present(), "no CredData mirror under " + dir);
    CredDataBench.Result r = CredDataBench.run(data, Files.readAllLines(Path.of(repos)), System.out);
    assertTrue(r.failures().isEmpty(), "targets missed: " + r.failures());
  }
}
