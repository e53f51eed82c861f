package io.github.cgscanner.store.jdbc;

import java.time.Duration;

/**
 * How long finished scans stay ({@code scan.retention}) and whether the latest completed scan of each
 * project and ref stays beyond it ({@code scan.keepLatestPerProject}), so baselines survive.
 */
public record Retention(Duration keep, boolean keepLatestPerProject, String nodeId) {}
