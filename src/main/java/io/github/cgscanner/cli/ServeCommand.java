package io.github.cgscanner.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.cgscanner.node.ClusterNode;
import io.github.cgscanner.node.ScannerNode;
import io.github.cgscanner.config.ConfigException;
import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.config.StoreChoice;
import io.vertx.core.Future;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a worker: the HTTP API, the key verticles, cluster membership.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Option(names = "--port", description = "HTTP port (overrides PORT)")
  Integer port;

  @Option(names = "--no-cluster", description = "run alone, without joining a cluster")
  boolean noCluster;

  @Override
  public Integer call() {
    ScannerConfig config;
    try {
      Map<String, Object> flags = new HashMap<>();
      if (port != null) flags.put("http.port", port);
      config = configOptions.load(flags);
      config = config.withStore(StoreChoice.forServe(config.store(), !noCluster));
      refuseOpenBindWithoutAuth(config);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Logging.configure(config.log());
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    log.info("starting worker: {} API key(s), {}", config.keys().apiKeys().size(),
        noCluster ? "standalone" : "cluster " + config.cluster().name());
    if (config.modelReviewEnabled()) log.info("providers: {}", config.keys().describe());
    log.info("scan store: {}", describe(config.store()));
    if (!config.modelReviewEnabled()) {
      log.warn("no API key configured: model review is skipped, local checks only");
    }
    if (!osThreadPrioritiesApplied()) {
      log.info("big scans are prepared at normal OS priority; start the JVM with -XX:ThreadPriorityPolicy=1 so that they give way to small ones");
    }
    Future<ScannerNode> started = noCluster
        ? ScannerNode.standalone(config, true, Main.version())
        : ClusterNode.start(config, Main.version());
    ScannerNode node;
    try {
      node = started.toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("error: " + (cause instanceof ConfigException ? cause.getMessage() : "the worker could not start: " + cause.getMessage()));
      return Main.EXIT_USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: stop taking work, let requests in flight report, leave the cluster cleanly.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      try {
        node.shutdown(Duration.ofSeconds(20));
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      log.info("left");
      stopped.countDown();
    }, "scanner-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static String describe(ScannerConfig.Store store) {
    return switch (store.kind()) {
      case ScannerConfig.Store.POSTGRES -> "PostgreSQL at " + StoreChoice.loggable(store.url());
      case ScannerConfig.Store.EMBEDDED -> "embedded database in " + store.dataDir().toAbsolutePath().normalize();
      default -> "memory (nothing survives a restart" + (store.kind().equals(ScannerConfig.Store.MEMORY) ? " of every worker)" : ")");
    };
  }

  /** Whether the JVM maps Java thread priorities to OS ones (on Linux only with ThreadPriorityPolicy=1). */
  private static boolean osThreadPrioritiesApplied() {
    try {
      var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return "1".equals(hotspot.getVMOption("ThreadPriorityPolicy").getValue());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** With no tokens, only a loopback bind is safe: anyone who reaches the port could read every scan. */
  private static void refuseOpenBindWithoutAuth(ScannerConfig config) {
    if (config.auth().enabled() || config.auth().allowNoAuth()) return;
    boolean loopback;
    try {
      loopback = InetAddress.getByName(config.http().host()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("http.host (HTTP_HOST): cannot resolve '" + config.http().host() + "'");
    }
    if (!loopback) {
      throw new ConfigException("refusing to listen on " + config.http().host()
          + " without authentication: set SCANNER_API_TOKENS, or SCANNER_ALLOW_NO_AUTH=true to accept the risk");
    }
  }
}
