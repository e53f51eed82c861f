package io.github.cgscanner.cli;

import io.github.cgscanner.config.ConfigLoader;
import io.github.cgscanner.config.ScannerConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by both commands. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: conf/config.json when present)")
  Path configFile;

  ScannerConfig load(Map<String, Object> flags) {
    return ConfigLoader.load(configFile, System.getenv(), flags);
  }
}
