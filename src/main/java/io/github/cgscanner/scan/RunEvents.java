package io.github.cgscanner.scan;

import io.github.cgscanner.domain.Finding;
import io.github.cgscanner.protocol.ScanEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scan tells its readers, through its {@link EventLog}: the record is saved before each status
 * event (whoever sees a status live and then reads the scan finds it so), progress at most about once a
 * second, findings at once.
 */
final class RunEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);
  private static final long PROGRESS_EVERY_MS = 1000;

  private final EventLog log;

  RunEvents(EventLog log) {
    this.log = log;
  }

  EventLog log() {
    return log;
  }

  void status(ScanRun run) {
    LOG.info("scan {} {}", run.id, run.status().wire());
    log.save(run);
    log.append(run, ScanEvent.Type.STATUS, run.toJson());
  }

  void finding(ScanRun run, Finding f) {
    log.append(run, ScanEvent.Type.FINDING, f.toJson());
  }

  /** Saves the record when sharing changes (who works on the scan), without an event. */
  void saved(ScanRun run) {
    log.save(run);
  }

  void progressChanged(ScanRun run, long now) {
    run.progressDirty = true;
    flushProgress(run, now);
  }

  void flushProgress(ScanRun run, long now) {
    if (run.progressDirty && now - run.lastProgressAt >= PROGRESS_EVERY_MS) {
      run.progressDirty = false;
      run.lastProgressAt = now;
      log.save(run);
      log.append(run, ScanEvent.Type.PROGRESS, run.files.progressJson());
    }
  }

  /** The last three events of every scan: progress, the final status, {@code done}; the record first. */
  void ended(ScanRun run) {
    log.append(run, ScanEvent.Type.PROGRESS, run.files.progressJson());
    log.save(run, 2);
    log.append(run, ScanEvent.Type.STATUS, run.toJson());
    log.append(run, ScanEvent.Type.DONE, run.toJson());
  }
}
