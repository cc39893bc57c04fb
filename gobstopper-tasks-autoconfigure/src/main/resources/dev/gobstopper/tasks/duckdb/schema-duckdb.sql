-- The task table: the columns of the first Gobstopper table, in its order, then those it
-- added for retries, idempotency and leases, in the order its migration adds them.
CREATE TABLE IF NOT EXISTS "${table}" (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    priority INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    elapsed_seconds DOUBLE,
    result JSON,
    error TEXT,
    retry_count INTEGER DEFAULT 0,
    max_retries INTEGER DEFAULT 0,
    args JSON,
    kwargs JSON,
    progress DOUBLE DEFAULT 0.0,
    progress_message VARCHAR DEFAULT '',
    attempt INTEGER DEFAULT 0,
    max_attempts INTEGER DEFAULT 1,
    idempotency_key VARCHAR,
    not_before TIMESTAMP,
    next_attempt_at TIMESTAMP,
    lease_owner VARCHAR,
    lease_expires_at TIMESTAMP,
    claimed_at TIMESTAMP,
    last_heartbeat_at TIMESTAMP
);

-- Created with the task table. An ART index pays only for lookups of a single column by
-- equality that match few rows: here, finding a task by its idempotency key, which it
-- makes about twice as fast over a million tasks. The claim and lease queries filter on
-- low-cardinality columns and ranges, where DuckDB scans with zone maps instead.
CREATE INDEX IF NOT EXISTS "idx_${table}_idempotency_key" ON "${table}" (idempotency_key);

-- The journal of saves not yet merged into the task table: the same columns after a
-- sequence number in call order, and no keys, so that appending never conflicts.
CREATE TABLE IF NOT EXISTS "${journal}" (
    seq BIGINT NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    priority INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    elapsed_seconds DOUBLE,
    result JSON,
    error TEXT,
    retry_count INTEGER,
    max_retries INTEGER,
    args JSON,
    kwargs JSON,
    progress DOUBLE,
    progress_message VARCHAR,
    attempt INTEGER,
    max_attempts INTEGER,
    idempotency_key VARCHAR,
    not_before TIMESTAMP,
    next_attempt_at TIMESTAMP,
    lease_owner VARCHAR,
    lease_expires_at TIMESTAMP,
    claimed_at TIMESTAMP,
    last_heartbeat_at TIMESTAMP
);
