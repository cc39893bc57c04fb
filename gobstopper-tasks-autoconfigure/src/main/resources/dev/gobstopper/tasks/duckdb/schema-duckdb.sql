-- The task table: the columns of Gobstopper's Python original, in its order.
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
    progress_message VARCHAR DEFAULT ''
);

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
    progress_message VARCHAR
);
