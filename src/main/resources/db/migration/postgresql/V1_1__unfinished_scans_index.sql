-- PostgreSQL only: a partial index over the few unfinished scans, which survivors look through often
-- (H2 has no partial indexes).
CREATE INDEX scans_unfinished ON scans (coordinator_node) WHERE finished_at IS NULL;
