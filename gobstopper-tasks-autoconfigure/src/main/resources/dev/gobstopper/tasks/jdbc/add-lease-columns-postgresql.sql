-- The columns today's Gobstopper added to the first table, added the way its own migration
-- adds them: at the end, in this order.
ALTER TABLE "${table}" ADD COLUMN attempt integer DEFAULT 0;
ALTER TABLE "${table}" ADD COLUMN max_attempts integer DEFAULT 1;
ALTER TABLE "${table}" ADD COLUMN idempotency_key varchar;
ALTER TABLE "${table}" ADD COLUMN not_before timestamp with time zone;
ALTER TABLE "${table}" ADD COLUMN next_attempt_at timestamp with time zone;
ALTER TABLE "${table}" ADD COLUMN lease_owner varchar;
ALTER TABLE "${table}" ADD COLUMN lease_expires_at timestamp with time zone;
ALTER TABLE "${table}" ADD COLUMN claimed_at timestamp with time zone;
ALTER TABLE "${table}" ADD COLUMN last_heartbeat_at timestamp with time zone;
