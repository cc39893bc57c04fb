package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskStorageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The journal, the table maintenance and the reads of one task table in one DuckDB
 * database, shared by every storage of this JVM on the same file and table.
 * <p>
 * The journal's sequence numbers and the rows and claims kept in memory are exact only
 * while one engine writes the table. DuckDB's file lock keeps other processes
 * out; storages in this process, such as those of several Spring application contexts
 * cached by a test run, share the engine, which closes with the last of them.
 * <p>
 * The engine fails for good when its writer or maintenance thread ends unexpectedly: every
 * call is refused from then on. Closing is bounded by a timeout; a thread still stuck then
 * is left to end on its own, with its connection, and the engine keeps its place until it
 * does, so that no new engine writes the same journal meanwhile.
 */
final class StorageEngine {

	private static final Log logger = LogFactory.getLog(StorageEngine.class);

	private static final Map<String, StorageEngine> engines = new HashMap<>();

	final DuckDbSql sql;

	final String databasePath;

	final RecentRows recent;

	final Journal journal;

	final TableMaintenance maintenance;

	final ReadSessions reads;

	final ClaimQueues claims;

	final ConditionalWrites conditionalWrites;

	private final Connection origin;

	private final Connection maintenanceConnection;

	private final @Nullable String key;

	private final Duration timeout;

	private int users = 1;

	/** The writer and maintenance threads that have not ended yet; guarded by {@link #engines}. */
	private int runningThreads = 2;

	/** Whether the last user let go; guarded by {@link #engines}. */
	private boolean closed;

	private StorageEngine(Connection origin, String databasePath, @Nullable String key, DuckDbSql sql,
			boolean initializeSchema, Clock clock, long cacheBytes, Duration timeout) throws SQLException {
		this.origin = origin;
		this.databasePath = databasePath;
		this.key = key;
		this.sql = sql;
		this.timeout = timeout;
		DuckDBConnection database = origin.unwrap(DuckDBConnection.class);
		this.maintenanceConnection = database.duplicate();
		try {
			DuckDbSchema.prepare(DuckDbExceptionTranslator.jdbcTemplate(this.maintenanceConnection), sql,
					initializeSchema);
			Connection writerConnection = database.duplicate();
			try {
				this.recent = new RecentRows(cacheBytes);
				this.journal = new Journal(writerConnection, sql, lastJournalSeq(), this.recent, timeout);
				this.maintenance = new TableMaintenance(this.maintenanceConnection, sql, this.journal, this.recent,
						clock, timeout, this::threadEnded);
				this.maintenance.merge();
				this.reads = new ReadSessions(database);
				this.claims = new ClaimQueues(sql);
				this.conditionalWrites = new ConditionalWrites(this.journal, this.recent, sql, this.claims);
			}
			catch (SQLException | RuntimeException ex) {
				closeQuietly(writerConnection);
				throw ex;
			}
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(this.maintenanceConnection);
			throw ex;
		}
		// From here on each thread closes its connection when it ends
		this.journal.start(this.maintenance::journalCommitted, this.claims, this::threadEnded);
	}

	/**
	 * Return the engine of the data source's database and the given table, starting one
	 * if no storage of this JVM uses them yet. An engine closed while one of its threads
	 * was stuck keeps its place until the thread ends: a new one waits for that, up to the
	 * timeout.
	 * @param cacheBytes the most bytes of task rows to keep in memory beyond the unmerged
	 * ones, if the engine is started; a shared engine keeps the size it started with
	 * @param timeout how long a call waits for a stuck thread of the engine, saves for
	 * merges that fall behind, and closing for the threads; an engine started already keeps
	 * its own
	 * @throws IllegalArgumentException if the data source does not connect to DuckDB
	 * @throws TaskStorageException if a thread of the engine closed before is still stuck,
	 * or the engine of the file and table failed
	 */
	static StorageEngine acquire(DataSource dataSource, DuckDbSql sql, boolean initializeSchema, Clock clock,
			long cacheBytes, Duration timeout) throws SQLException, InterruptedException {
		Connection origin = duckDbConnection(dataSource);
		try {
			String path = DuckDbSchema.path(DuckDbExceptionTranslator.jdbcTemplate(origin));
			// Each in-memory database is a database of its own, with nothing to share
			String key = DuckDbDataSource.IN_MEMORY.equals(path) ? null
					: path + '\0' + sql.table.toLowerCase(Locale.ROOT);
			synchronized (engines) {
				StorageEngine shared = (key != null) ? awaitUnlessClosing(key, timeout) : null;
				if (shared != null) {
					String failure = shared.failure();
					if (failure != null) {
						throw new TaskStorageException("The task storage of this JVM on " + path + " failed and is still "
								+ "in use by another application context: " + failure
								+ ". Close that context, or point gobstopper.tasks.db-path to another file");
					}
					shared.users++;
					closeQuietly(origin);
					return shared;
				}
				StorageEngine engine = new StorageEngine(origin, path, key, sql, initializeSchema, clock, cacheBytes,
						timeout);
				if (key != null) {
					engines.put(key, engine);
				}
				return engine;
			}
		}
		catch (SQLException | RuntimeException | InterruptedException ex) {
			closeQuietly(origin);
			throw ex;
		}
	}

	/**
	 * Return the engine of the key, waiting while one closed is still on its way out.
	 */
	private static @Nullable StorageEngine awaitUnlessClosing(String key, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		StorageEngine engine = engines.get(key);
		while (engine != null && engine.closed) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new TaskStorageException("The task storage closed before on " + engine.databasePath
						+ " has a thread that still runs, stuck in a statement or still closing: a new storage on the"
						+ " same file and table cannot start until it ends, or the JVM restarts");
			}
			engines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			engine = engines.get(key);
		}
		return engine;
	}

	/**
	 * Refuse a call if the engine has failed.
	 * @throws TaskStorageException naming what failed
	 */
	void checkWorking() {
		String failure = failure();
		if (failure != null) {
			Throwable cause = this.journal.failure();
			throw new TaskStorageException("The task storage failed and refuses every call: " + failure,
					(cause != null) ? cause : this.maintenance.failure());
		}
	}

	/**
	 * Return why the engine failed for good, or {@code null} while it works.
	 */
	@Nullable String failure() {
		Throwable writer = this.journal.failure();
		if (writer != null) {
			return "its journal writer thread stopped: " + writer;
		}
		Throwable maintenance = this.maintenance.failure();
		if (maintenance != null) {
			return "its task table maintenance thread failed: " + maintenance;
		}
		return null;
	}

	/**
	 * Let go of the engine; the last user closes it: every accepted save is committed,
	 * the journal merged and the connections closed, within the timeout. A storage that
	 * starts on the same table meanwhile waits for that, so that it finds the journal
	 * merged. The engine's lock is not held meanwhile: the threads take it as they end.
	 */
	void release() throws InterruptedException {
		synchronized (engines) {
			if (--this.users > 0) {
				return;
			}
			this.closed = true;
		}
		try {
			close();
		}
		finally {
			this.reads.close();
			closeQuietly(this.origin);
			synchronized (engines) {
				if (this.runningThreads == 0 && this.key != null) {
					engines.remove(this.key, this);
				}
				engines.notifyAll();
			}
		}
	}

	private void close() throws InterruptedException {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<String> stuck = new ArrayList<>();
		try {
			if (!this.journal.close(deadline)) {
				stuck.add("the journal writer");
			}
		}
		finally {
			// Interrupted or not, the maintenance thread must be told to stop
			if (!this.maintenance.close(deadline)) {
				String on = this.maintenance.busyWith();
				stuck.add("the task table maintenance" + ((on != null) ? " (" + on + ")" : ""));
			}
		}
		long backlog = this.maintenance.backlog();
		if (!stuck.isEmpty()) {
			logger.warn("Closing the task storage on " + this.databasePath + " gave up after " + this.timeout.toMillis()
					+ " ms, since " + String.join(" and ", stuck) + " did not finish: " + backlog
					+ " saves stay in the journal table " + this.sql.journal + " for the next start to merge"
					+ (this.journal.isAlive() ? ", besides the saves of the commit the writer is stuck in, which it"
							+ " commits or not when it ends" : "")
					+ ". The stuck threads are left to end on their own, and close their connections when they do:"
					+ " until then the file stays open in this JVM");
		}
		else if (backlog > 0) {
			logger.warn("Closed the task storage on " + this.databasePath + " without merging " + backlog
					+ " saves: they stay in the journal table " + this.sql.journal + " for the next start to merge");
		}
	}

	/**
	 * Note that the writer or the maintenance thread ended, and with it its use of its
	 * connection.
	 */
	private void threadEnded() {
		synchronized (engines) {
			this.runningThreads--;
			if (this.runningThreads == 0 && this.closed) {
				if (this.key != null) {
					engines.remove(this.key, this);
				}
				engines.notifyAll();
			}
		}
	}

	private long lastJournalSeq() throws SQLException {
		try (Statement statement = this.maintenanceConnection.createStatement();
				ResultSet rs = statement.executeQuery(this.sql.maxJournalSeq)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static Connection duckDbConnection(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		if (!connection.isWrapperFor(DuckDBConnection.class)) {
			connection.close();
			throw new IllegalArgumentException("The task storage needs a DuckDB data source, got connections of "
					+ connection.getClass().getName());
		}
		return connection;
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Closing anyway
		}
	}

}
