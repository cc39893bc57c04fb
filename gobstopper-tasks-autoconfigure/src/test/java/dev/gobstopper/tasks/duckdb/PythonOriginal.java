package dev.gobstopper.tasks.duckdb;

import java.util.Collections;
import java.util.List;

import dev.gobstopper.tasks.TaskStorage;

/**
 * The schema of Gobstopper's Python {@code TaskStorage} and rows shaped the way its
 * {@code save_task} writes them: timestamps as ISO-8601 text from
 * {@code datetime.isoformat()}, JSON as text from {@code json.dumps}.
 */
final class PythonOriginal {

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
			"CREATE INDEX IF NOT EXISTS idx_tasks_priority ON tasks(priority)");

	static final List<String> INDEX_NAMES = List.of("idx_tasks_category", "idx_tasks_created_at",
			"idx_tasks_priority", "idx_tasks_status");

	/** The upsert of {@code save_task}, every value a parameter, in the order of the columns. */
	static final String SAVE_TASK = "INSERT INTO tasks (id, name, category, priority, status, created_at, "
			+ "started_at, completed_at, elapsed_seconds, result, error, retry_count, max_retries, args, kwargs, "
			+ "progress, progress_message) VALUES (" + String.join(", ", Collections.nCopies(17, "?")) + ") "
			+ "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, "
			+ "priority = EXCLUDED.priority, status = EXCLUDED.status, created_at = EXCLUDED.created_at, "
			+ "started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at, "
			+ "elapsed_seconds = EXCLUDED.elapsed_seconds, result = EXCLUDED.result, error = EXCLUDED.error, "
			+ "retry_count = EXCLUDED.retry_count, max_retries = EXCLUDED.max_retries, args = EXCLUDED.args, "
			+ "kwargs = EXCLUDED.kwargs, progress = EXCLUDED.progress, progress_message = EXCLUDED.progress_message";

	private PythonOriginal() {
	}

	/**
	 * Create the original's table and indexes in a new file and save rows as the original
	 * does.
	 * @param db the database
	 * @param rows the rows, each the 17 values {@code save_task} binds
	 */
	static void create(TaskDatabase db, List<Object[]> rows) {
		db.execute(CREATE_TABLE);
		CREATE_INDEXES.forEach(db::execute);
		for (Object[] row : rows) {
			db.execute(SAVE_TASK, row);
		}
	}

}
