package io.github.cgscanner.scan;

import io.github.cgscanner.config.ScannerConfig;
import io.github.cgscanner.source.WorkRoot;
import io.vertx.core.WorkerExecutor;

/**
 * What the coordinator's parts share: its slice of the configuration (the pool-wide model, and the
 * providers of its keys), its identity and its resources.
 */
record CoordinatorContext(
    String nodeId,
    ScannerConfig.Sources sources,
    ScannerConfig.Scan scan,
    ScannerConfig.Model model,
    PoolModels pool,
    ScanRun.Identity identity,
    WorkerExecutor blocking,
    WorkRoot workRoot) {}
