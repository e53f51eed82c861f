package io.github.cgscanner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "chatgpt-security-scanner",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Reviews source code for security issues with local checks and OpenAI-compatible models.",
    subcommands = {ServeCommand.class, ScanCommand.class, BenchCommand.class})
public final class Main implements Runnable {
  /** Exit code for bad usage, bad configuration or a source refused by policy (SPEC). */
  static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler((ex, a) -> {
      System.err.println("error: " + ex.getMessage());
      System.err.println("run with --help for usage");
      return EXIT_USAGE;
    });
    int code = cli.execute(args);
    if (code != Integer.MIN_VALUE) System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
    System.exit(EXIT_USAGE);
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"chatgpt-security-scanner " + version()};
    }
  }
}
