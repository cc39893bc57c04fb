package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

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
 */
final class StorageEngine {

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

	private final Connection writerConnection;

	private final Connection maintenanceConnection;

	private final @Nullable String key;

	private int users = 1;

	private StorageEngine(Connection origin, String databasePath, @Nullable String key, DuckDbSql sql,
			boolean initializeSchema, Clock clock, long cacheBytes) throws SQLException {
		this.origin = origin;
		this.databasePath = databasePath;
		this.key = key;
		this.sql = sql;
		DuckDBConnection database = origin.unwrap(DuckDBConnection.class);
		this.maintenanceConnection = database.duplicate();
		try {
			DuckDbSchema.prepare(DuckDbExceptionTranslator.jdbcTemplate(this.maintenanceConnection), sql,
					initializeSchema);
			this.writerConnection = database.duplicate();
			try {
				this.recent = new RecentRows(cacheBytes);
				this.journal = new Journal(this.writerConnection, sql, lastJournalSeq(), this.recent);
				this.maintenance = new TableMaintenance(this.maintenanceConnection, sql, this.journal, this.recent,
						clock);
				this.maintenance.merge();
				this.reads = new ReadSessions(database);
				this.claims = new ClaimQueues(sql);
				this.conditionalWrites = new ConditionalWrites(this.journal, this.recent, sql, this.claims);
				this.journal.start(this.maintenance::journalCommitted, this.claims);
			}
			catch (SQLException | RuntimeException ex) {
				closeQuietly(this.writerConnection);
				throw ex;
			}
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(this.maintenanceConnection);
			throw ex;
		}
	}

	/**
	 * Return the engine of the data source's database and the given table, starting one
	 * if no storage of this JVM uses them yet.
	 * @param cacheBytes the most bytes of task rows to keep in memory beyond the unmerged
	 * ones, if the engine is started; a shared engine keeps the size it started with
	 * @throws IllegalArgumentException if the data source does not connect to DuckDB
	 */
	static StorageEngine acquire(DataSource dataSource, DuckDbSql sql, boolean initializeSchema, Clock clock,
			long cacheBytes) throws SQLException {
		Connection origin = duckDbConnection(dataSource);
		try {
			String path = DuckDbSchema.path(DuckDbExceptionTranslator.jdbcTemplate(origin));
			// Each in-memory database is a database of its own, with nothing to share
			String key = DuckDbDataSource.IN_MEMORY.equals(path) ? null
					: path + '\0' + sql.table.toLowerCase(Locale.ROOT);
			synchronized (engines) {
				StorageEngine shared = (key != null) ? engines.get(key) : null;
				if (shared != null) {
					shared.users++;
					closeQuietly(origin);
					return shared;
				}
				StorageEngine engine = new StorageEngine(origin, path, key, sql, initializeSchema, clock, cacheBytes);
				if (key != null) {
					engines.put(key, engine);
				}
				return engine;
			}
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(origin);
			throw ex;
		}
	}

	/**
	 * Let go of the engine; the last user closes it: every accepted save is committed,
	 * the journal merged and the connections closed. A storage that starts on the same
	 * table meanwhile waits for that, so that it finds the journal merged.
	 */
	void release() throws InterruptedException {
		synchronized (engines) {
			if (--this.users > 0) {
				return;
			}
			if (this.key != null) {
				engines.remove(this.key);
			}
			try {
				close();
			}
			finally {
				this.reads.close();
				closeQuietly(this.writerConnection);
				closeQuietly(this.maintenanceConnection);
				closeQuietly(this.origin);
			}
		}
	}

	private void close() throws InterruptedException {
		InterruptedException interrupted = null;
		try {
			this.journal.close();
		}
		catch (InterruptedException ex) {
			interrupted = ex;
		}
		try {
			this.maintenance.close();
		}
		catch (InterruptedException ex) {
			interrupted = ex;
		}
		if (interrupted != null) {
			throw interrupted;
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
