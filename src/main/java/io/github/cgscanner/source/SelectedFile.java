package io.github.cgscanner.source;

import java.nio.file.Path;

/** A file chosen for review or local checks; {@code path} is relative to the root and '/'-separated. */
public record SelectedFile(String path, Path file, long size) {}
