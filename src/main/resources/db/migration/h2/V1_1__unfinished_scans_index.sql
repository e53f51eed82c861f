-- H2 has no partial indexes: the whole column is indexed instead.
CREATE INDEX scans_unfinished ON scans (finished_at, coordinator_node);
