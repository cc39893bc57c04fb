package dev.gobstopper.tasks.benchmarks;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
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
 * The straight port of Gobstopper's Python storage to {@link JdbcTemplate} on PostgreSQL,
 * through a HikariCP pool: one statement per call in autocommit, batches as JDBC batches
 * that the driver rewrites into multi-row inserts, the original's SQL, its table (instants
 * as {@code timestamptz}, JSON as {@code jsonb}) and the four secondary indexes of its
 * first version.
 */
final class NaivePostgresStore implements BenchStore {

	private static final String CREATE_TABLE = """
			CREATE TABLE IF NOT EXISTS %s (
			    id VARCHAR PRIMARY KEY,
			    name VARCHAR NOT NULL,
			    category VARCHAR NOT NULL,
			    priority INTEGER NOT NULL,
			    status VARCHAR NOT NULL,
			    created_at TIMESTAMPTZ NOT NULL,
			    started_at TIMESTAMPTZ,
			    completed_at TIMESTAMPTZ,
			    elapsed_seconds DOUBLE PRECISION,
			    result JSONB,
			    error TEXT,
			    retry_count INTEGER DEFAULT 0,
			    max_retries INTEGER DEFAULT 0,
			    args JSONB,
			    kwargs JSONB,
			    progress DOUBLE PRECISION DEFAULT 0.0,
			    progress_message VARCHAR DEFAULT '',
			    attempt INTEGER DEFAULT 0,
			    max_attempts INTEGER DEFAULT 1,
			    idempotency_key VARCHAR,
			    not_before TIMESTAMPTZ,
			    next_attempt_at TIMESTAMPTZ,
			    lease_owner VARCHAR,
			    lease_expires_at TIMESTAMPTZ,
			    claimed_at TIMESTAMPTZ,
			    last_heartbeat_at TIMESTAMPTZ
			)""";

	private static final List<String> INDEXED_COLUMNS = List.of("category", "status", "created_at", "priority");

	private final String table;

	private final HikariDataSource pool;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final TaskRows rows = new TaskRows(TaskRows.Timestamps.OFFSET_DATE_TIME);

	private final OriginalSql sql;

	private final String upsert;

	private final String engine;

	NaivePostgresStore(String url, String table) throws SQLException {
		this.table = table;
		this.sql = new OriginalSql(table, this.rows, "percentile_cont(%s) WITHIN GROUP (ORDER BY elapsed_seconds)",
				"CAST(floor(extract(epoch FROM completed_at) / %d) AS BIGINT)");
		this.upsert = "INSERT INTO " + table + " (" + TaskRows.COLUMN_LIST + ") VALUES ("
				+ TaskRows.placeholders("?::jsonb") + ") ON CONFLICT (id) DO UPDATE SET "
				+ TaskRows.COLUMNS.stream().skip(1).map((column) -> column + " = EXCLUDED." + column)
					.collect(Collectors.joining(", "));
		this.pool = Postgres.pool(url, true);
		try {
			this.jdbc = new JdbcTemplate(this.pool);
			this.transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
			this.jdbc.execute(CREATE_TABLE.formatted(table));
			for (String column : INDEXED_COLUMNS) {
				this.jdbc.execute("CREATE INDEX IF NOT EXISTS " + table + "_" + column + " ON " + table + " (" + column
						+ ")");
			}
			this.engine = Postgres.engine(this.pool);
		}
		catch (SQLException | RuntimeException ex) {
			this.pool.close();
			throw ex;
		}
	}

	@Override
	public void saveTask(TaskInfo task) {
		this.jdbc.update(this.upsert, (statement) -> this.rows.bind(statement, task));
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		this.transaction.executeWithoutResult(
				(status) -> this.jdbc.batchUpdate(this.upsert, tasks, tasks.size(), this.rows::bind));
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
	 * Claim as the original does. A claimer whose update waited for another's to commit
	 * finds the task no longer pending, updates nothing and gets nothing.
	 */
	@Override
	public Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		return this.sql.claim(this.jdbc, this.transaction, category, workerId, lease);
	}

	@Override
	public void roundTrip() {
		Postgres.selectOne(this.pool);
	}

	@Override
	public String bulkLoadPath() {
		return "saveTasks (batchUpdate of upserts, rewritten into multi-row inserts)";
	}

	@Override
	public void settle() {
		Postgres.vacuumAnalyze(this.pool, this.table);
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
