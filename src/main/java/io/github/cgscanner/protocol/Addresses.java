package io.github.cgscanner.protocol;

/**
 * Every event-bus address and shared-data name of a worker, in one place: nothing else builds one. Each
 * address carries one kind of message (see the records of this package), so no message needs a
 * {@code type} field to be told apart.
 */
public final class Addresses {
  private Addresses() {}

  private static final String COORDINATOR = "scanner.coordinator.";

  /** {@link SubmitScan} → the Scan (JSON), or a failure with an HTTP-like code (400, 429). */
  public static String submit(String nodeId) {
    return COORDINATOR + nodeId + ".submit";
  }

  /** {@link CancelScan} → the Scan; 404 unknown, 409 finished. */
  public static String cancel(String nodeId) {
    return COORDINATOR + nodeId + ".cancel";
  }

  /** {@link LeaseRequest} → {@link LeaseGrant}. */
  public static String lease(String nodeId) {
    return COORDINATOR + nodeId + ".lease";
  }

  /** {@link LeaseRelease}: leased tasks that will not be sent go back at once. No reply. */
  public static String release(String nodeId) {
    return COORDINATOR + nodeId + ".release";
  }

  /** {@link TaskResult}: a key's answer to a task; this is each task's {@code replyTo}. No reply. */
  public static String results(String nodeId) {
    return COORDINATOR + nodeId + ".result";
  }

  /** Local: {@code null} → {@link Load}. */
  /** Local: the worker is leaving; its coordinator stops its heartbeats and says so in the store, then answers. */
  public static String leave(String nodeId) {
    return "scanner.coordinator.leave." + nodeId;
  }

  /** A leaving peer hands this worker one of its scans: {@code {scanId}}, answered once it is resumed here. */
  public static String adopt(String nodeId) {
    return "scanner.coordinator.adopt." + nodeId;
  }

  public static String load(String nodeId) {
    return COORDINATOR + nodeId + ".load";
  }

  /** Local: a key's {@link Pull} → {@link PullReply}. */
  public static String pull(String nodeId) {
    return "scanner.dispatch." + nodeId;
  }

  /** {@link WorkAvailable}: a scan has tasks waiting that this worker's dispatcher may lease. */
  public static String work(String nodeId) {
    return "scanner.dispatch." + nodeId + ".work";
  }

  /** Local, published: a key's {@link KeyState}. */
  public static String keyStates(String nodeId) {
    return "scanner.keys." + nodeId;
  }

  /** Local, published: one model call ended ({@link CallReport}), for the metrics. */
  public static String calls(String nodeId) {
    return "scanner.keys." + nodeId + ".calls";
  }

  /** Published cluster-wide: a scan's events ({@link ScanEvent}), each stored before it is published. */
  public static String scanEvents(String scanId) {
    return SCAN_EVENTS_PREFIX + scanId + SCAN_EVENTS_SUFFIX;
  }

  public static final String SCAN_EVENTS_PREFIX = "scanner.scan.";
  public static final String SCAN_EVENTS_SUFFIX = ".events";

  /** The scan id of a {@link #scanEvents} address, or null for any other address. */
  public static String scanIdOfEvents(String address) {
    if (!address.startsWith(SCAN_EVENTS_PREFIX) || !address.endsWith(SCAN_EVENTS_SUFFIX)) return null;
    return address.substring(SCAN_EVENTS_PREFIX.length(), address.length() - SCAN_EVENTS_SUFFIX.length());
  }

  /** A budget's owner answers a {@code BudgetProtocol.Renewal} with {@code Grants}. */
  public static String budgetRenewals(String nodeId) {
    return "scanner.budget." + nodeId;
  }

  /** A holder hears {@code BudgetProtocol.Nudge}: renew now, its share changed. */
  public static String budgetNudges(String nodeId) {
    return "scanner.budget." + nodeId + ".nudge";
  }

  /** A holder hears {@code BudgetProtocol.CoolDown}: the provider refused another holder of the budget. */
  public static String budgetCoolDowns(String nodeId) {
    return "scanner.budget." + nodeId + ".coolDown";
  }

  /** Local, published, no body: the worker is shutting down; stop taking work. */
  public static final String DRAIN = "scanner.node.drain";

  /**
   * Local: passes a cancel to a coordinator that this worker's event bus does not reach (workers on one
   * database without a cluster); {@code {"node", "scanId"}}, answered with the stored record once it is final.
   */
  public static final String CANCEL_RELAY = "scanner.cancel.relay";

  /** Local, published: {@link MemberLeft}. */
  public static final String MEMBERSHIP = "scanner.membership";

  // ---- shared data ----

  /** Local map of this worker's facts: http port, cluster size and members, draining, its load entry. */
  public static final String NODE_MAP = "scanner.node";
  /** Local map: key alias → its latest {@link KeyState} JSON. */
  public static final String KEYS_MAP = "scanner.keys";
  /** Local map: budget name → the budget object the key verticles of this JVM share. */
  public static final String BUDGETS_MAP = "scanner.budgets";
  /** The named worker pool for blocking and CPU work: fetching, preparation, big reports, big submissions. */
  public static final String BLOCKING_POOL = "scanner-blocking";
  /** Cluster map: node id → load entry, put with a short TTL. */
  public static final String LOAD_MAP = "scanner.load";
}
