-- The task table: the columns of the first Gobstopper table, in its order, then those it
-- added for retries, idempotency and leases, in the order its migration adds them.
CREATE TABLE IF NOT EXISTS "${table}" (
    id varchar PRIMARY KEY,
    name varchar NOT NULL,
    category varchar NOT NULL,
    priority integer NOT NULL,
    status varchar NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    elapsed_seconds double precision,
    result jsonb,
    error text,
    retry_count integer DEFAULT 0,
    max_retries integer DEFAULT 0,
    args jsonb,
    kwargs jsonb,
    progress double precision DEFAULT 0.0,
    progress_message varchar DEFAULT '',
    attempt integer DEFAULT 0,
    max_attempts integer DEFAULT 1,
    idempotency_key varchar,
    not_before timestamp with time zone,
    next_attempt_at timestamp with time zone,
    lease_owner varchar,
    lease_expires_at timestamp with time zone,
    claimed_at timestamp with time zone,
    last_heartbeat_at timestamp with time zone
);

-- Pages, newest first: one index per filter (none, category, status, both), so that a page
-- reads only the rows it returns. Ties of created_at are ordered by id in memory.
CREATE INDEX IF NOT EXISTS "${table}_created" ON "${table}" (created_at DESC);
CREATE INDEX IF NOT EXISTS "${table}_cat" ON "${table}" (category, created_at DESC);
CREATE INDEX IF NOT EXISTS "${table}_stat" ON "${table}" (status, created_at DESC);
CREATE INDEX IF NOT EXISTS "${table}_catstat" ON "${table}" (category, status, created_at DESC);

-- claimNext: the tasks waiting in a category, in the order they are claimed.
CREATE INDEX IF NOT EXISTS "${table}_claim" ON "${table}"
    (category, (coalesce(next_attempt_at, not_before, created_at)), priority DESC, created_at)
    WHERE status IN ('pending', 'retry');

-- reclaimExpiredLeases: the running tasks by the end of their lease.
CREATE INDEX IF NOT EXISTS "${table}_lease" ON "${table}" (lease_expires_at) WHERE status = 'started';

-- saveTaskIfAbsent and getTaskByIdempotencyKey.
CREATE INDEX IF NOT EXISTS "${table}_idem" ON "${table}" (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Cleanup and completionsOverTime: the finished tasks by completion time.
CREATE INDEX IF NOT EXISTS "${table}_done" ON "${table}" (completed_at)
    WHERE status IN ('success', 'failed', 'cancelled');
