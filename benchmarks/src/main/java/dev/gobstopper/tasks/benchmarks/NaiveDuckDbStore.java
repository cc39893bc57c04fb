package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The straight port of Gobstopper's Python storage to Spring's {@link JdbcTemplate}: one
 * statement per call, the original's SQL, its table and the four secondary indexes of its
 * first version.
 */
final class NaiveDuckDbStore implements BenchStore {

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

	static final List<String> CREATE_INDEXES = List.of(
			"CREATE INDEX IF NOT EXISTS idx_tasks_category ON tasks(category)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_priority ON tasks(priority)");

	private static final String UPSERT = "INSERT INTO tasks (" + TaskRows.COLUMN_LIST + ") VALUES ("
			+ TaskRows.placeholders("?") + ") ON CONFLICT (id) DO UPDATE SET "
			+ TaskRows.COLUMNS.stream().skip(1).map((column) -> column + " = EXCLUDED." + column)
				.collect(Collectors.joining(", "));

	private final TaskRows rows = new TaskRows(TaskRows.Timestamps.LOCAL_DATE_TIME);

	private final OriginalSql sql = new OriginalSql("tasks", this.rows, "quantile_cont(elapsed_seconds, %s)",
			"CAST(floor(epoch(completed_at) / %d) AS BIGINT)");

	private final DuckDbDataSource database;

	private final ConnectionPool pool;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final String engine;

	NaiveDuckDbStore(Path file) throws SQLException {
		this.database = new DuckDbDataSource(file.toString(), DataSize.ofMegabytes(256), 1, "v1.0.0");
		this.pool = new ConnectionPool(this.database::getConnection);
		try {
			this.jdbc = new JdbcTemplate(this.pool);
			this.transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
			this.jdbc.execute(CREATE_TABLE);
			CREATE_INDEXES.forEach(this.jdbc::execute);
			this.engine = DuckDbEngine.version(this.pool);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public void saveTask(TaskInfo task) {
		this.jdbc.update(UPSERT, (statement) -> this.rows.bind(statement, task));
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		this.transaction.executeWithoutResult(
				(status) -> this.jdbc.batchUpdate(UPSERT, tasks, tasks.size(), this.rows::bind));
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
	public boolean deleteTask(String id) {
		return this.sql.delete(this.jdbc, id);
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

	/**
	 * Look the key up, then save, as the original does: concurrent calls with one key may
	 * both save.
	 */
	@Override
	public TaskInfo saveTaskIfAbsent(TaskInfo task) {
		Optional<TaskInfo> stored = this.sql.taskByIdempotencyKey(this.jdbc, task.idempotencyKey());
		if (stored.isPresent()) {
			return stored.get();
		}
		saveTask(task);
		return task;
	}

	/**
	 * Claim as the original does. DuckDB's optimistic concurrency ends a transaction that
	 * updates a task another claimer updated since it began with a conflict, at the update
	 * or at the commit: it lost the race, and gets nothing.
	 */
	@Override
	public Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		try {
			return this.sql.claim(this.jdbc, this.transaction, category, workerId, lease);
		}
		catch (DataAccessException | TransactionException ex) {
			String message = ex.getMostSpecificCause().getMessage();
			if (message != null && message.contains("Conflict")) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/**
	 * Append straight into the table: running the upsert per row would take an hour for a
	 * million tasks.
	 */
	@Override
	public void bulkLoad(List<TaskInfo> tasks) {
		try (DuckDBConnection connection = this.database.getConnection();
				DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "tasks")) {
			for (TaskInfo task : tasks) {
				append(appender, task);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not load tasks: " + ex.getMessage(), ex);
		}
	}

	private void append(DuckDBAppender appender, TaskInfo task) throws SQLException {
		appender.beginRow();
		appender.append(task.id());
		appender.append(task.name());
		appender.append(task.category());
		appender.append(task.priority().value());
		appender.append(task.status().value());
		appender.append(utc(task.createdAt()));
		appendTimestamp(appender, task.startedAt());
		appendTimestamp(appender, task.completedAt());
		appender.append(task.elapsedSeconds());
		appender.append(this.rows.json(task.result()));
		appendText(appender, task.error());
		appender.append(task.retryCount());
		appender.append(task.maxRetries());
		appender.append(this.rows.json(task.args()));
		appender.append(this.rows.json(task.kwargs()));
		appender.append(task.progress());
		appender.append(task.progressMessage());
		appender.append(task.attempt());
		appender.append(task.maxAttempts());
		appendText(appender, task.idempotencyKey());
		appendTimestamp(appender, task.notBefore());
		appendTimestamp(appender, task.nextAttemptAt());
		appendText(appender, task.leaseOwner());
		appendTimestamp(appender, task.leaseExpiresAt());
		appendTimestamp(appender, task.claimedAt());
		appendTimestamp(appender, task.lastHeartbeatAt());
		appender.endRow();
	}

	private static void appendText(DuckDBAppender appender, @Nullable String text) throws SQLException {
		if (text != null) {
			appender.append(text);
		}
		else {
			appender.appendNull();
		}
	}

	private static void appendTimestamp(DuckDBAppender appender, @Nullable Instant instant) throws SQLException {
		if (instant != null) {
			appender.append(utc(instant));
		}
		else {
			appender.appendNull();
		}
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	@Override
	public String bulkLoadPath() {
		return "DuckDB Appender straight into the table";
	}

	@Override
	public String engine() {
		return this.engine;
	}

	@Override
	public void close() {
		try {
			this.pool.close();
		}
		finally {
			this.database.close();
		}
	}

}
