package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The same table in an H2 file database with its default settings, written with
 * {@code MERGE} and read through a small connection pool.
 */
final class H2Store implements BenchStore {

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
			    elapsed_seconds DOUBLE PRECISION,
			    result JSON,
			    error VARCHAR,
			    retry_count INTEGER DEFAULT 0,
			    max_retries INTEGER DEFAULT 0,
			    args JSON,
			    kwargs JSON,
			    progress DOUBLE PRECISION DEFAULT 0.0,
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
			)""";

	/** The same indexes as the SQLite store. */
	static final List<String> CREATE_INDEXES = List.of(
			"CREATE INDEX IF NOT EXISTS idx_tasks_category ON tasks(category)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)");

	// FORMAT JSON stores the text as a JSON value rather than as a JSON string
	private static final String MERGE = "MERGE INTO tasks (" + TaskRows.COLUMN_LIST + ") KEY (id) VALUES ("
			+ TaskRows.placeholders("? FORMAT JSON") + ")";

	private final TaskRows rows = new TaskRows(TaskRows.Timestamps.LOCAL_DATE_TIME);

	private final OriginalSql sql = new OriginalSql("tasks", this.rows,
			"PERCENTILE_CONT(%s) WITHIN GROUP (ORDER BY elapsed_seconds)",
			"DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', completed_at) / %d");

	private final ConnectionPool pool;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final String engine;

	H2Store(Path file) {
		String url = "jdbc:h2:file:" + file.toAbsolutePath();
		this.pool = new ConnectionPool(() -> DriverManager.getConnection(url, "sa", ""));
		try {
			this.jdbc = new JdbcTemplate(this.pool);
			this.transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
			this.jdbc.execute(CREATE_TABLE);
			CREATE_INDEXES.forEach(this.jdbc::execute);
			this.engine = "H2 " + this.jdbc.queryForObject("SELECT H2VERSION()", String.class);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public void saveTask(TaskInfo task) {
		this.jdbc.update(MERGE, (statement) -> this.rows.bind(statement, task));
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		this.transaction.executeWithoutResult(
				(status) -> this.jdbc.batchUpdate(MERGE, tasks, tasks.size(), this.rows::bind));
	}

	@Override
	public Optional<TaskInfo> getTask(String id) {
		return this.sql.task(this.jdbc, id);
	}

	@Override
	public List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset) {
		return this.sql.page(this.jdbc, category, status, limit, offset);
	}

	@Override
	public List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		return this.sql.summaries(this.jdbc, category, status, limit, offset);
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		return this.sql.deleteExpired(this.jdbc, retention);
	}

	@Override
	public TaskCounts countTasks(@Nullable String category) {
		return this.sql.counts(this.jdbc, category);
	}

	@Override
	public List<TaskNameStatistics> statisticsByName(Instant since) {
		return this.sql.statistics(this.jdbc, since);
	}

	@Override
	public List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket) {
		return this.sql.completions(this.jdbc, since, bucket);
	}

	@Override
	public String engine() {
		return this.engine;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
