-- Shared by H2 (PostgreSQL mode) and PostgreSQL: only types and statements both engines have.
-- Times are epoch milliseconds (BIGINT): the two engines' timestamp types differ, and every
-- comparison is then a plain number comparison.
-- Expand, then contract: a migration only adds (tables, nullable columns, indexes), so the previous
-- release still reads and writes the schema during a rolling upgrade; a column or table is dropped
-- one release after the last release that used it.

CREATE TABLE scans (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  owner VARCHAR(128),
  project VARCHAR(100),
  ref_name VARCHAR(512) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  coordinator_node VARCHAR(64),
  owner_version BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  record VARCHAR NOT NULL
);
CREATE INDEX scans_by_created ON scans (created_at, id);
CREATE INDEX scans_by_owner ON scans (owner, created_at, id);
CREATE INDEX scans_by_project ON scans (project, created_at, id);
CREATE INDEX scans_by_project_ref ON scans (project, ref_name, status);
CREATE INDEX scans_by_finished ON scans (finished_at);

CREATE TABLE scan_events (
  scan_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  type VARCHAR(16) NOT NULL,
  data VARCHAR NOT NULL,
  PRIMARY KEY (scan_id, seq)
);

-- One row per finding event: what lists filter on. The finding itself is the event's data.
CREATE TABLE findings (
  scan_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  finding_id VARCHAR(128) NOT NULL,
  severity VARCHAR(16) NOT NULL,
  state VARCHAR(32) NOT NULL,
  baseline_state VARCHAR(16),
  PRIMARY KEY (scan_id, seq)
);
CREATE INDEX findings_by_severity ON findings (scan_id, severity, seq);
CREATE INDEX findings_by_id ON findings (finding_id);

-- The prepared tasks of running scans (masked code), deleted when their scan ends.
CREATE TABLE scan_tasks (
  scan_id VARCHAR(64) NOT NULL,
  task_id VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  payload VARCHAR NOT NULL,
  requests BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  PRIMARY KEY (scan_id, task_id)
);

CREATE TABLE workers (
  node_id VARCHAR(64) NOT NULL PRIMARY KEY,
  seen_at BIGINT NOT NULL
);

CREATE TABLE store_settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  setting VARCHAR(256) NOT NULL
);

CREATE TABLE store_locks (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  holder VARCHAR(64),
  expires_at BIGINT NOT NULL
);
INSERT INTO store_locks (name, holder, expires_at) VALUES ('retention', NULL, 0);
