-- The task table: the columns of the first Gobstopper table, in its order, then those it
-- added for retries, idempotency and leases, in the order its migration adds them.
-- The JSON columns are json, not jsonb: json keeps the text as written, so every number
-- reads back as the type it was written as (jsonb turns 1.0E300 into an integer) and a
-- string may hold \u0000 (jsonb refuses it). The indexed text columns compare bytes
-- (COLLATE "C"), which keeps their indexes a fifth cheaper to write than under a
-- language's collation.
CREATE TABLE IF NOT EXISTS "${table}" (
    id varchar COLLATE "C" PRIMARY KEY,
    name varchar COLLATE "C" NOT NULL,
    category varchar COLLATE "C" NOT NULL,
    priority integer NOT NULL,
    status varchar COLLATE "C" NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    elapsed_seconds double precision,
    result json,
    error text,
    retry_count integer DEFAULT 0,
    max_retries integer DEFAULT 0,
    args json,
    kwargs json,
    progress double precision DEFAULT 0.0,
    progress_message varchar DEFAULT '',
    attempt integer DEFAULT 0,
    max_attempts integer DEFAULT 1,
    idempotency_key varchar COLLATE "C",
    not_before timestamp with time zone,
    next_attempt_at timestamp with time zone,
    lease_owner varchar,
    lease_expires_at timestamp with time zone,
    claimed_at timestamp with time zone,
    last_heartbeat_at timestamp with time zone
);

-- Pages, newest first, by category, by status, or by both, so that a page reads only the
-- rows it returns; a page of every task merges the newest of each status. Ties of
-- created_at are ordered by id in memory. The status index also serves the counts, the
-- oldest tasks of a status and the statistics since a time.
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
