package io.github.cgscanner.store;

/** A write by a coordinator that no longer owns the scan: another worker took it over. */
public final class FencedException extends RuntimeException {
  public FencedException(String scanId, long ownerVersion) {
    super("scan " + scanId + " is no longer owned at version " + ownerVersion, null, false, false);
  }
}
