package io.github.cgscanner.source;

import java.io.IOException;

/** The clone downloaded or would check out more bytes than {@code sources.maxRepoBytes}. */
final class RepositoryTooLargeException extends IOException {
  RepositoryTooLargeException() {
    super("repository exceeds the size limit");
  }
}
