package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkRootTest {
  @TempDir Path base;

  @Test
  void aStartSweepsWhatDeadProcessesLeftAndNeverWhatIsInUse() throws Exception {
    // Left by a worker that died: a workspace and an upload, its lock no longer held.
    Path dead = Files.createDirectories(base.resolve("dead-worker"));
    Files.writeString(dead.resolve(".lock"), "");
    Files.createDirectories(dead.resolve("scan-123/archive"));
    Files.writeString(dead.resolve("scan-123/archive/A.java"), "class A {}");
    Files.createDirectories(dead.resolve("uploads"));
    Files.writeString(dead.resolve("uploads/upload-1"), "zip");
    try (WorkRoot live = WorkRoot.open(base)) {
      Path workspace = live.newWorkspace();
      Files.writeString(workspace.resolve("B.java"), "class B {}");
      assertFalse(Files.exists(dead), "the dead worker's files are gone");
      try (WorkRoot second = WorkRoot.open(base)) {
        assertTrue(Files.exists(workspace.resolve("B.java")), "a live worker's workspace is never touched");
        assertTrue(second.dir().startsWith(base));
      }
    }
    try (var left = Files.list(base)) {
      assertFalse(left.findAny().isPresent(), "each worker deletes its own directory when it closes");
    }
  }
}
