package io.github.cgscanner.source;

import static io.github.cgscanner.source.SourceFailure.SOURCE_REFUSED;
import static io.github.cgscanner.source.SourceFailure.SOURCE_UNAVAILABLE;

import io.github.cgscanner.config.ScannerConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import io.github.cgscanner.domain.Cancellation;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SubmoduleConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Shallow clone of one ref (branch, tag or full commit id) with JGit. In production every clone
 * re-checks the URL policy, refuses a host whose addresses are not all public, connects only through
 * {@link GuardedHttpConnectionFactory}, and caps time and size. Errors are reported in our words: JGit's messages may quote hosts or tokens.
 */
final class GitCloner {
  /** A full SHA-1 commit id; abbreviated ids cannot be fetched, servers only match whole ones. */
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}");
  private final ScannerConfig.Sources policy;
  private final boolean enforceNetworkPolicy;

  /** {@code enforceNetworkPolicy} is false only in tests, to clone a local {@code file://} repository. */
  GitCloner(ScannerConfig.Sources policy, boolean enforceNetworkPolicy) {
    this.policy = policy;
    this.enforceNetworkPolicy = enforceNetworkPolicy;
    IsolatedGitConfig.install();
  }

  FetchedSource clone(GitSource src, Path workspace, Cancellation cancellation) {
    if (enforceNetworkPolicy) checkEndpoint(src);
    Path dir = workspace.resolve("repo");
    Deadline deadline = new Deadline(policy.cloneTimeout().toNanos(), cancellation);
    GuardedHttpConnectionFactory http = new GuardedHttpConnectionFactory(policy.maxRepoBytes());
    try {
      if (src.ref() != null && COMMIT_ID.matcher(src.ref()).matches()) return fetchCommit(src, dir, deadline, http);
      String ref = resolveRef(src, http);
      try (Git git = transport(Git.cloneRepository(), src, http)
          .setURI(src.url())
          .setDirectory(dir.toFile())
          .setDepth(1)
          .setBranchesToClone(List.of(ref))
          .setBranch(ref)
          .setNoTags()
          .setCloneSubmodules(false)
          .setNoCheckout(true)
          .setProgressMonitor(deadline)
          .call()) {
        Repository repo = git.getRepository();
        ObjectId commit = repo.resolve(Constants.HEAD + "^{commit}");
        if (commit == null) throw unavailable("the repository has no commit at the requested ref");
        checkTreeSize(repo, commit);
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
        return new FetchedSource(dir, src.kind(), src.displayName(), commit.name());
      }
    } catch (SourceFailure e) {
      throw e;
    } catch (Exception e) {
      cancellation.check();
      throw translate(e, deadline);
    }
  }

  /**
   * A full commit id as ref: fetched alone at depth 1. Hosts such as GitHub and GitLab serve any commit
   * reachable from a branch or tag that way; a server that only serves advertised tips still serves one
   * a branch or tag points to.
   */
  private FetchedSource fetchCommit(GitSource src, Path dir, Deadline deadline, GuardedHttpConnectionFactory http)
      throws Exception {
    ObjectId wanted = ObjectId.fromString(src.ref().toLowerCase(Locale.ROOT));
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      try {
        transport(git.fetch(), src, http)
            .setRemote(src.url())
            .setRefSpecs(new RefSpec(wanted.name() + ":" + Constants.R_HEADS + "scan"))
            .setDepth(1)
            .setTagOpt(TagOpt.NO_TAGS)
            .setRecurseSubmodules(SubmoduleConfig.FetchRecurseSubmodulesMode.NO)
            .setProgressMonitor(deadline)
            .call();
      } catch (TransportException e) {
        if (deadline.expired() || causedBy(e, RefusedAddressException.class) || causedBy(e, RepositoryTooLargeException.class)) throw e;
        throw unavailable("the commit " + wanted.name() + " could not be fetched: the server does not have it or does not"
            + " serve commits by id (name a branch or tag instead), or the repository is unreachable");
      }
      Repository repo = git.getRepository();
      if (!repo.getObjectDatabase().has(wanted)) throw unavailable("the repository has no commit " + wanted.name());
      checkTreeSize(repo, wanted);
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(wanted.name()).call();
      return new FetchedSource(dir, src.kind(), src.displayName(), wanted.name());
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }

  private void checkEndpoint(GitSource src) {
    String host;
    try {
      host = GitUrlPolicy.checkUrl(src.url(), policy.gitHosts());
      if (src.ref() != null) GitUrlPolicy.checkRef(src.ref());
    } catch (SourceRejected e) {
      throw new SourceFailure(SOURCE_REFUSED, e.getMessage());
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw unavailable("the repository host cannot be resolved");
    }
    for (InetAddress a : addresses) {
      if (AddressGuard.isForbidden(a)) throw refusedAddress();
    }
  }

  /** The full name of the ref to clone: the default branch, or a branch or tag named by the user. */
  private String resolveRef(GitSource src, GuardedHttpConnectionFactory http) throws Exception {
    Map<String, Ref> refs = transport(Git.lsRemoteRepository(), src, http).setRemote(src.url()).callAsMap();
    if (src.ref() == null) {
      Ref head = refs.get(Constants.HEAD);
      if (head != null && head.isSymbolic()) return head.getTarget().getName();
      throw unavailable("the repository has no default branch");
    }
    for (String candidate : List.of(src.ref(), Constants.R_HEADS + src.ref(), Constants.R_TAGS + src.ref())) {
      if (candidate.startsWith(Constants.R_REFS) && refs.containsKey(candidate)) return candidate;
    }
    throw unavailable("the ref '" + src.ref() + "' does not exist in the repository");
  }

  private <C extends TransportCommand<C, ?>> C transport(C cmd, GitSource src, GuardedHttpConnectionFactory http) {
    cmd.setTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, policy.cloneTimeout().toSeconds())));
    if (src.token() != null) cmd.setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", src.token()));
    cmd.setTransportConfigCallback(t -> {
      if (t instanceof TransportHttp h) {
        h.setHttpConnectionFactory(http);
      } else if (enforceNetworkPolicy) {
        throw new IllegalStateException("only https transports are allowed");
      }
    });
    return cmd;
  }

  /** Sums blob sizes before checkout, so a small pack cannot expand into a huge working tree. */
  private void checkTreeSize(Repository repo, ObjectId commit) throws Exception {
    long total = 0;
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader);
        TreeWalk tree = new TreeWalk(reader)) {
      tree.addTree(walk.parseCommit(commit).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        if (tree.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) continue;
        total += reader.getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB);
        if (total > policy.maxRepoBytes()) throw tooLarge();
      }
    }
  }

  private SourceFailure translate(Exception e, Deadline deadline) {
    if (causedBy(e, RefusedAddressException.class)) return refusedAddress();
    if (causedBy(e, RepositoryTooLargeException.class)) return tooLarge();
    if (deadline.expired()) return unavailable("cloning the repository took longer than " + policy.cloneTimeout());
    return unavailable("the repository could not be cloned: it is unreachable, does not exist, or the credentials"
        + " were refused");
  }

  private SourceFailure tooLarge() {
    return new SourceFailure(SOURCE_REFUSED, "the repository is larger than " + policy.maxRepoBytes() + " bytes");
  }

  private static SourceFailure refusedAddress() {
    return new SourceFailure(SOURCE_REFUSED, "the repository host resolves to an address that is not public");
  }

  private static SourceFailure unavailable(String message) {
    return new SourceFailure(SOURCE_UNAVAILABLE, message);
  }

  /** Lets JGit stop a clone that outlives {@code sources.cloneTimeout} or whose scan was cancelled; stalled reads end on the socket timeout. */
  private static final class Deadline extends EmptyProgressMonitor {
    private final long end;
    private final Cancellation cancellation;

    Deadline(long nanos, Cancellation cancellation) {
      this.end = System.nanoTime() + nanos;
      this.cancellation = cancellation;
    }

    boolean expired() {
      return System.nanoTime() - end > 0;
    }

    @Override
    public boolean isCancelled() {
      return expired() || cancellation.isCancelled();
    }
  }
}
