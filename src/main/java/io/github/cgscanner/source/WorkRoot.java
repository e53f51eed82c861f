package io.github.cgscanner.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's scratch directory for scan workspaces and uploads, {@code <base>/<random>/}, marked
 * in use by a lock on its {@code .lock} file for as long as the process lives. Workers of one machine
 * share the base: at start each deletes the directories nobody holds a lock on any more, left by a
 * process that died, and never one that is in use. Blocking: open it off the event loop.
 */
public final class WorkRoot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkRoot.class);
  private static final String LOCK = ".lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private WorkRoot(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The default base: {@code cgscanner} under the JVM's temporary directory. */
  public static Path defaultBase() {
    return Path.of(System.getProperty("java.io.tmpdir"), "cgscanner");
  }

  public static WorkRoot open(Path base) throws IOException {
    Files.createDirectories(base);
    int swept = sweepStale(base);
    if (swept > 0) LOG.info("deleted {} scratch director{} left by stopped workers", swept, swept == 1 ? "y" : "ies");
    Path dir = Files.createDirectory(base.resolve(UUID.randomUUID().toString()));
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.lock();
    Files.createDirectories(dir.resolve("uploads"));
    return new WorkRoot(dir, channel, lock);
  }

  /** Deletes every directory under {@code base} whose lock nobody holds. */
  static int sweepStale(Path base) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(base)) {
      children = new ArrayList<>(s.filter(Files::isDirectory).toList());
    }
    int swept = 0;
    for (Path child : children) {
      if (unheld(child)) {
        Workspaces.deleteTree(child);
        swept++;
      }
    }
    return swept;
  }

  private static boolean unheld(Path dir) {
    Path lockFile = dir.resolve(LOCK);
    if (!Files.exists(lockFile)) return true;
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) return false;
      l.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  public Path dir() {
    return dir;
  }

  public Path uploads() {
    return dir.resolve("uploads");
  }

  public Path newWorkspace() throws IOException {
    return Files.createTempDirectory(dir, "scan-");
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      Workspaces.deleteTree(dir);
    }
  }
}
