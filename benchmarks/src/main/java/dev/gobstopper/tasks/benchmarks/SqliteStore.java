package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
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
			    progress_message TEXT DEFAULT ''
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
		return OriginalSql.task(this.reads, this.rows, id);
	}

	@Override
	public List<TaskInfo> getTasks(String category, TaskStatus status, int limit, int offset) {
		return OriginalSql.page(this.reads, this.rows, category, status, limit, offset);
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		return write(() -> OriginalSql.deleteExpired(this.writes, this.rows, retention));
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
