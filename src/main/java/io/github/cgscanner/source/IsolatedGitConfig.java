package io.github.cgscanner.source;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the machine's git configuration (system, user, XDG, JGit's own) out of clones: it could rewrite
 * URLs ({@code url.*.insteadOf}), add proxies, credentials helpers or disable TLS checks. JGit reads
 * these files through the process-wide {@link SystemReader}, so this installs a reader that serves
 * empty in-memory configurations instead, once per JVM (this process uses JGit only for clones). The
 * user level also turns off JGit's own redirect handling.
 */
final class IsolatedGitConfig {
  private static boolean installed;

  private IsolatedGitConfig() {}

  static synchronized void install() {
    if (installed) return;
    SystemReader.setInstance(new Reader(SystemReader.getInstance()));
    installed = true;
  }

  private static final class Reader extends SystemReader.Delegate {
    Reader(SystemReader delegate) {
      super(delegate);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
      FileBasedConfig c = empty(parent, fs);
      c.setString("http", null, "followRedirects", "false");
      return c;
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
      return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
      return empty(parent, fs);
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
      return new FileBasedConfig(parent, null, fs) {
        @Override
        public void load() {
          // nothing on disk to read
        }

        @Override
        public void save() {
          // nothing on disk to write
        }

        @Override
        public boolean isOutdated() {
          return false;
        }
      };
    }
  }
}
