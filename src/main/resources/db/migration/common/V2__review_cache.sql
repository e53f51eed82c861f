-- The review cache (issue 16) in the store: validated model answers by a key that hashes everything the
-- answer depends on; findings, never code. Expired rows are never read and are deleted by retention.
CREATE TABLE review_cache (
  -- SHA-256 (hex) of the cache's key
  cache_key VARCHAR(64) NOT NULL PRIMARY KEY,
  owner VARCHAR(128),
  entry VARCHAR NOT NULL,
  stored_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX review_cache_by_expiry ON review_cache (expires_at);
CREATE INDEX review_cache_by_owner ON review_cache (owner);
