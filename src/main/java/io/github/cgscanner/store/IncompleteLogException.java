package io.github.cgscanner.store;

/** A scan's event log lacks an event its record says was written: readers must not pass off the rest as whole. */
public final class IncompleteLogException extends RuntimeException {
  public IncompleteLogException(String scanId, long missingSeq) {
    super("the event log of scan " + scanId + " lacks event " + missingSeq, null, false, false);
  }
}
