package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitClonerTest {
  private static final PersonIdent WHO = new PersonIdent("Test", "test@example.com");

  @TempDir Path tmp;
  private String url;
  private RevCommit first;
  private RevCommit second;
  private RevCommit onFeature;

  @BeforeEach
  void createRepository() throws Exception {
    Path work = tmp.resolve("origin");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("A.java"), "class A {}\n");
      first = commit(git, "first");
      Files.writeString(work.resolve("B.java"), "class B {}\n");
      second = commit(git, "second");
      git.tag().setName("v1").setObjectId(second).setAnnotated(false).call();
      git.checkout().setCreateBranch(true).setName("feature").setStartPoint(first).call();
      Files.writeString(work.resolve("F.java"), "class F {}\n");
      onFeature = commit(git, "feature");
      git.checkout().setName("main").call();
    }
    url = work.resolve(".git").toUri().toString();
  }

  private static RevCommit commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
  }

  private FetchedSource cloneLocal(String ref) throws IOException {
    return new SourceFetcher(TestPolicy.sources(), false)
        .fetch(new GitSource(url, ref, null), Files.createTempDirectory(tmp, "ws"));
  }

  @Test
  void clonesTheDefaultBranchShallowAndReportsItsCommit() throws Exception {
    FetchedSource f = cloneLocal(null);
    assertEquals(second.name(), f.commit());
    assertEquals("git", f.kind());
    assertTrue(Files.exists(f.root().resolve("A.java")));
    assertTrue(Files.exists(f.root().resolve("B.java")));
    assertFalse(Files.exists(f.root().resolve("F.java")));
    try (Git clone = Git.open(f.root().toFile())) {
      int commits = 0;
      for (RevCommit ignored : clone.log().call()) commits++;
      assertEquals(1, commits, "depth 1");
      assertEquals(1, clone.getRepository().getObjectDatabase().getShallowCommits().size());
    }
  }

  @Test
  void clonesANamedBranchOrTag() throws Exception {
    FetchedSource feature = cloneLocal("feature");
    assertEquals(onFeature.name(), feature.commit());
    assertTrue(Files.exists(feature.root().resolve("F.java")));
    assertEquals(second.name(), cloneLocal("v1").commit());
    assertEquals(onFeature.name(), cloneLocal("refs/heads/feature").commit());
  }

  @Test
  void aFullCommitIdIsFetchedAlone() throws Exception {
    FetchedSource tip = cloneLocal(onFeature.name());
    assertEquals(onFeature.name(), tip.commit());
    assertTrue(Files.exists(tip.root().resolve("F.java")));
    FetchedSource upper = cloneLocal(second.name().toUpperCase(java.util.Locale.ROOT));
    assertEquals(second.name(), upper.commit());
    try (Git fetched = Git.open(upper.root().toFile())) {
      assertFalse(fetched.getRepository().getObjectDatabase().has(first), "depth 1: no history comes along");
    }
  }

  @Test
  void anOlderCommitIsFetchedAloneAndAnUnknownOneIsUnavailable() throws Exception {
    FetchedSource old = cloneLocal(first.name());
    assertEquals(first.name(), old.commit());
    assertTrue(Files.exists(old.root().resolve("A.java")));
    assertFalse(Files.exists(old.root().resolve("B.java")), "the tree of that commit, not of a branch");

    SourceFailure unknown = assertThrows(SourceFailure.class, () -> cloneLocal("0123456789abcdef0123456789abcdef01234567"));
    assertEquals("source_unavailable", unknown.code());
    assertTrue(unknown.getMessage().contains("0123456789abcdef0123456789abcdef01234567"), unknown.getMessage());
    assertFalse(unknown.getMessage().contains(tmp.toString()), "no JGit message with local paths");
  }

  @Test
  void unknownRefOrMissingRepositoryIsUnavailable() {
    SourceFailure e = assertThrows(SourceFailure.class, () -> cloneLocal("nope"));
    assertEquals("source_unavailable", e.code());
    url = tmp.resolve("missing").toUri().toString();
    SourceFailure missing = assertThrows(SourceFailure.class, () -> cloneLocal(null));
    assertEquals("source_unavailable", missing.code());
    assertFalse(missing.getMessage().contains(tmp.toString()), "no JGit message with local paths");
  }

  @Test
  void repositoryLargerThanTheCapIsRefusedBeforeCheckout() throws IOException {
    Path ws = Files.createTempDirectory(tmp, "ws");
    SourceFailure e = assertThrows(SourceFailure.class, () -> new SourceFetcher(TestPolicy.withMaxRepoBytes(10), false)
        .fetch(new GitSource(url, null, null), ws));
    assertEquals("source_refused", e.code());
    assertFalse(Files.exists(ws.resolve("repo/A.java")));
  }

  @Test
  void productionFetcherEnforcesTheUrlPolicy() throws IOException {
    Path ws = Files.createTempDirectory(tmp, "ws");
    SourceFetcher production = new SourceFetcher(TestPolicy.sources());
    SourceFailure local = assertThrows(SourceFailure.class, () -> production.fetch(new GitSource(url, null, null), ws));
    assertEquals("source_refused", local.code());
    SourceFailure ip = assertThrows(SourceFailure.class,
        () -> production.fetch(new GitSource("https://127.0.0.1/a/b", null, "tok-secret"), ws));
    assertEquals("source_refused", ip.code());
    assertFalse(ip.getMessage().contains("tok-secret"));
    SourceFailure host = assertThrows(SourceFailure.class,
        () -> production.fetch(new GitSource("https://evil.example/a/b", null, null), ws));
    assertEquals("source_refused", host.code());
  }

  @Test
  void allowedHostResolvingToLoopbackIsRefused() throws IOException {
    // "localhost" resolves locally without network; allowing it by name must not open loopback.
    var policy = new io.github.cgscanner.config.ScannerConfig.Sources(java.util.List.of(),
        java.util.List.of("localhost"), 1000, 1000, 10, 1000, 1000, java.time.Duration.ofSeconds(5), 8, 2);
    Path ws = Files.createTempDirectory(tmp, "ws");
    SourceFailure e = assertThrows(SourceFailure.class,
        () -> new SourceFetcher(policy).fetch(new GitSource("https://localhost/a/b.git", null, null), ws));
    assertEquals("source_refused", e.code());
    assertTrue(e.getMessage().contains("not public"), e.getMessage());
  }

  @Test
  void machineGitConfigurationIsNeverRead() throws Exception {
    IsolatedGitConfig.install();
    var reader = org.eclipse.jgit.util.SystemReader.getInstance();
    assertEquals(java.util.Set.of("http"), sections(reader.getUserConfig()));
    assertEquals("false", reader.getUserConfig().getString("http", null, "followRedirects"));
    assertTrue(sections(reader.getSystemConfig()).isEmpty());
    assertTrue(sections(reader.getJGitConfig()).isEmpty());
  }

  @Test
  void clonedRepositoriesNeverFollowRedirects() throws Exception {
    FetchedSource f = cloneLocal(null);
    try (Git clone = Git.open(f.root().toFile())) {
      var http = new org.eclipse.jgit.transport.HttpConfig(clone.getRepository().getConfig(),
          new org.eclipse.jgit.transport.URIish("https://github.com/a/b.git"));
      assertEquals(org.eclipse.jgit.transport.HttpConfig.HttpRedirectMode.FALSE, http.getFollowRedirects());
      assertTrue(http.isSslVerify());
    }
  }

  /** Without the section where JGit caches its own file-system timestamp probe (in memory here). */
  private static java.util.Set<String> sections(org.eclipse.jgit.lib.Config config) {
    var sections = new java.util.HashSet<>(config.getSections());
    sections.remove("filesystem");
    return sections;
  }
}
