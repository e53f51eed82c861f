package io.github.cgscanner.store;

/** A write by a coordinator that no longer owns the scan: another worker took it over. */
public final class FencedException extends RuntimeException {
  public FencedException(String scanId, long ownerVersion) {
    super("scan " + scanId + " is no longer owned at version " + ownerVersion, null, false, false);
  }

  /** Whether {@code error}, or what caused it (a transaction may wrap it), is a fencing refusal. */
  public static boolean isFencing(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof FencedException) return true;
    }
    return false;
  }
}
