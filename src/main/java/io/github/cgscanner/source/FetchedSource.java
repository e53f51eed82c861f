package io.github.cgscanner.source;

import java.nio.file.Path;

/** A source materialised on disk; {@code commit} is the resolved SHA for git, else null. */
public record FetchedSource(Path root, String kind, String name, String commit) {}
