package io.github.cgscanner.domain;

/**
 * Cooperative cancellation of a scan's blocking work: fetching, extraction, walking, checks and
 * chunking call {@link #check()} between units of work, so a cancelled scan gives its worker thread
 * back within one unit.
 */
public final class Cancellation {
  /** Thrown by {@link #check()}; carries no stack trace, it is control flow. */
  public static final class CancelledException extends RuntimeException {
    CancelledException() {
      super("cancelled", null, false, false);
    }
  }

  private static final Cancellation NEVER = new Cancellation();

  private volatile boolean cancelled;

  public static Cancellation never() {
    return NEVER;
  }

  public void cancel() {
    if (this != NEVER) cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public void check() {
    if (cancelled) throw new CancelledException();
  }
}
