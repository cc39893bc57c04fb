package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The same table in SQLite, durable per commit (WAL, {@code synchronous=FULL}). SQLite
 * allows one writer at a time, so writes share one connection behind a lock; reads use
 * pooled connections of their own, which WAL lets run beside the writer.
 */
final class SqliteStore implements BenchStore {

	static final String CREATE_TABLE = """
			CREATE TABLE IF NOT EXISTS tasks (
			    id TEXT PRIMARY KEY,
			    name TEXT NOT NULL,
			    category TEXT NOT NULL,
			    priority INTEGER NOT NULL,
			    status TEXT NOT NULL,
			    created_at TEXT NOT NULL,
			    started_at TEXT,
			    completed_at TEXT,
			    elapsed_seconds REAL,
			    result TEXT,
			    error TEXT,
			    retry_count INTEGER DEFAULT 0,
			    max_retries INTEGER DEFAULT 0,
			    args TEXT,
			    kwargs TEXT,
			    progress REAL DEFAULT 0.0,
			    progress_message TEXT DEFAULT '',
			    attempt INTEGER DEFAULT 0,
			    max_attempts INTEGER DEFAULT 1,
			    idempotency_key TEXT,
			    not_before TEXT,
			    next_attempt_at TEXT,
			    lease_owner TEXT,
			    lease_expires_at TEXT,
			    claimed_at TEXT,
			    last_heartbeat_at TEXT
			)""";

	/** The indexes a SQLite user would add for the filters and the order of the page query. */
	static final List<String> CREATE_INDEXES = List.of(
			"CREATE INDEX IF NOT EXISTS idx_tasks_category ON tasks(category)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)");

	private static final String UPSERT = "INSERT INTO tasks (" + TaskRows.COLUMN_LIST + ") VALUES ("
			+ TaskRows.placeholders("?") + ") ON CONFLICT(id) DO UPDATE SET "
			+ TaskRows.COLUMNS.stream().skip(1).map((column) -> column + " = excluded." + column)
				.collect(Collectors.joining(", "));

	private final TaskRows rows = new TaskRows(TaskRows.Timestamps.TEXT);

	// SQLite has no percentile function: the durations are fetched and the percentiles computed in Java
	private final OriginalSql sql = new OriginalSql("tasks", this.rows, null,
			"CAST(strftime('%%s', completed_at) AS INTEGER) / %d");

	private final ReentrantLock writeLock = new ReentrantLock();

	private final Connection writer;

	private final JdbcTemplate writes;

	private final TransactionTemplate writeTransaction;

	private final ConnectionPool readers;

	private final JdbcTemplate reads;

	private final String engine;

	SqliteStore(Path file) throws SQLException {
		String url = "jdbc:sqlite:" + file;
		SQLiteConfig config = new SQLiteConfig();
		config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
		config.setBusyTimeout(30_000);
		this.writer = DriverManager.getConnection(url, config.toProperties());
		SingleConnectionDataSource writerDataSource = new SingleConnectionDataSource(this.writer, true);
		this.writes = new JdbcTemplate(writerDataSource);
		this.writeTransaction = new TransactionTemplate(new DataSourceTransactionManager(writerDataSource));
		this.readers = new ConnectionPool(() -> DriverManager.getConnection(url, config.toProperties()));
		this.reads = new JdbcTemplate(this.readers);
		try {
			this.writes.execute(CREATE_TABLE);
			CREATE_INDEXES.forEach(this.writes::execute);
			this.engine = "SQLite " + this.reads.queryForObject("SELECT sqlite_version()", String.class);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public void saveTask(TaskInfo task) {
		write(() -> this.writes.update(UPSERT, (statement) -> this.rows.bind(statement, task)));
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		write(() -> this.writeTransaction.execute(
				(status) -> this.writes.batchUpdate(UPSERT, tasks, tasks.size(), this.rows::bind)));
	}

	@Override
	public Optional<TaskInfo> getTask(String id) {
		return this.sql.task(this.reads, id);
	}

	@Override
	public List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset) {
		return this.sql.page(this.reads, category, status, limit, offset);
	}

	@Override
	public List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		return this.sql.summaries(this.reads, category, status, limit, offset);
	}

	@Override
	public boolean deleteTask(String id) {
		return write(() -> this.sql.delete(this.writes, id));
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		return write(() -> this.sql.deleteExpired(this.writes, retention));
	}

	@Override
	public TaskCounts countTasks(@Nullable String category) {
		return this.sql.counts(this.reads, category);
	}

	@Override
	public List<TaskNameStatistics> statisticsByName(Instant since) {
		return this.sql.statistics(this.reads, since);
	}

	@Override
	public List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket) {
		return this.sql.completions(this.reads, since, bucket);
	}

	@Override
	public String engine() {
		return this.engine;
	}

	private <T> T write(Supplier<T> write) {
		this.writeLock.lock();
		try {
			return write.get();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public void close() {
		this.readers.close();
		this.writeLock.lock();
		try {
			this.writer.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not close SQLite: " + ex.getMessage(), ex);
		}
		finally {
			this.writeLock.unlock();
		}
	}

}
