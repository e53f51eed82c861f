package io.github.cgscanner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the scanner (local checks and the configured model) on a labelled benchmark.",
    subcommands = {BenchOwaspCommand.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
    System.exit(Main.EXIT_USAGE);
  }
}
