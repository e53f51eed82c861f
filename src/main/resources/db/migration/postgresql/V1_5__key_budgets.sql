-- Key budgets shared by workers on this database without an event bus between them (Cloud Run
-- instances): one token bucket per budget name (a key's hash or a keys.limits group's, never a key).
-- Times are epoch ms of the database's clock.
CREATE TABLE key_budgets (
  budget_id VARCHAR(200) PRIMARY KEY,
  rpm DOUBLE PRECISION NOT NULL,
  tpm DOUBLE PRECISION NOT NULL,
  requests DOUBLE PRECISION NOT NULL,
  tokens DOUBLE PRECISION NOT NULL,
  refilled_at BIGINT NOT NULL,
  cool_down_until BIGINT NOT NULL
);
