package dev.gobstopper.tasks.duckdb;

import java.util.List;

/**
 * The schema that today's Gobstopper {@code TaskStorage} creates: the lease columns between
 * {@code max_retries} and {@code args}, and seven secondary indexes.
 */
final class TodaysGobstopper {

	static final String CREATE_TABLE = """
			CREATE TABLE IF NOT EXISTS tasks (
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
			    attempt INTEGER DEFAULT 0,
			    max_attempts INTEGER DEFAULT 1,
			    idempotency_key VARCHAR,
			    not_before TIMESTAMP,
			    next_attempt_at TIMESTAMP,
			    lease_owner VARCHAR,
			    lease_expires_at TIMESTAMP,
			    claimed_at TIMESTAMP,
			    last_heartbeat_at TIMESTAMP,
			    args JSON,
			    kwargs JSON,
			    progress DOUBLE DEFAULT 0.0,
			    progress_message VARCHAR DEFAULT ''
			)
			""";

	static final List<String> CREATE_INDEXES = List.of(
			"CREATE INDEX IF NOT EXISTS idx_tasks_category ON tasks(category)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_priority ON tasks(priority)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_next_attempt ON tasks(next_attempt_at)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_idempotency_key ON tasks(idempotency_key)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_lease_expires ON tasks(lease_expires_at)");

	private TodaysGobstopper() {
	}

	static void create(TaskDatabase db) {
		db.execute(CREATE_TABLE);
		CREATE_INDEXES.forEach(db::execute);
	}

}
