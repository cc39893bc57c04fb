-- The columns today's Gobstopper added to the first table, added the way its own migration
-- adds them: at the end, in this order. Run on a table of the first shape, and on its journal.
ALTER TABLE "${table}" ADD COLUMN attempt INTEGER DEFAULT 0;
ALTER TABLE "${table}" ADD COLUMN max_attempts INTEGER DEFAULT 1;
ALTER TABLE "${table}" ADD COLUMN idempotency_key VARCHAR;
ALTER TABLE "${table}" ADD COLUMN not_before TIMESTAMP;
ALTER TABLE "${table}" ADD COLUMN next_attempt_at TIMESTAMP;
ALTER TABLE "${table}" ADD COLUMN lease_owner VARCHAR;
ALTER TABLE "${table}" ADD COLUMN lease_expires_at TIMESTAMP;
ALTER TABLE "${table}" ADD COLUMN claimed_at TIMESTAMP;
ALTER TABLE "${table}" ADD COLUMN last_heartbeat_at TIMESTAMP;
