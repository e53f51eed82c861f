package io.github.cgscanner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.github.cgscanner.config.ScannerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log.format} (text or JSON lines) and {@code log.level} once the configuration is known. */
final class Logging {
  private Logging() {}

  static void configure(ScannerConfig.Log log) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Logging.class.getResource(log.format().equals("json") ? "/logback-json.xml" : "/logback.xml"));
    } catch (JoranException e) {
      System.err.println("warning: logging could not be configured");
    }
    context.getLogger("io.github.cgscanner").setLevel(Level.toLevel(log.level(), Level.INFO));
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(log.level(), Level.INFO).isGreaterOrEqual(Level.WARN)
        ? Level.toLevel(log.level()) : Level.WARN);
  }
}
