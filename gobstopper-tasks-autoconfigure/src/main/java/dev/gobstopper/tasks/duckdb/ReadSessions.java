package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.duckdb.DuckDBConnection;

/**
 * Connections for reads, each keeping its prepared statements. DuckDB plans a statement
 * on every execution, but preparing it again each time costs as much once more.
 */
final class ReadSessions {

	/** Sessions kept between reads: enough for a few concurrent readers on a small machine. */
	private static final int MAX_IDLE = 4;

	private static final Log logger = LogFactory.getLog(ReadSessions.class);

	private final Deque<Session> idle = new ConcurrentLinkedDeque<>();

	private final DuckDBConnection database;

	private volatile boolean closed;

	/**
	 * Create read sessions on connections to the given connection's database.
	 */
	ReadSessions(DuckDBConnection database) {
		this.database = database;
	}

	/**
	 * Run a read with a session of its own.
	 */
	<T> T read(Read<T> read) throws SQLException {
		if (this.closed) {
			throw new IllegalStateException("TaskStorage is closed");
		}
		Session session = this.idle.pollFirst();
		if (session == null) {
			session = new Session(this.database.duplicate());
		}
		boolean reusable = false;
		try {
			T result = read.run(session);
			reusable = true;
			return result;
		}
		finally {
			if (reusable && this.idle.size() < MAX_IDLE) {
				this.idle.offerFirst(session);
				if (this.closed) {
					// close() may have emptied the idle sessions before this one came back
					closeIdle();
				}
			}
			else {
				session.close();
			}
		}
	}

	void close() {
		this.closed = true;
		closeIdle();
	}

	private void closeIdle() {
		for (Session session = this.idle.pollFirst(); session != null; session = this.idle.pollFirst()) {
			session.close();
		}
	}

	@FunctionalInterface
	interface SqlCall<T> {

		T call() throws SQLException;

	}

	@FunctionalInterface
	interface Read<T> {

		T run(Session session) throws SQLException;

	}

	/**
	 * A connection and its prepared statements, used by one thread at a time.
	 */
	static final class Session {

		private final Connection connection;

		private final Map<String, PreparedStatement> statements = new HashMap<>();

		private Session(Connection connection) {
			this.connection = connection;
		}

		/**
		 * Run reads in one transaction, so that they see one snapshot of the database.
		 */
		<T> T inOneSnapshot(SqlCall<T> reads) throws SQLException {
			Transactions.begin(this.connection);
			try {
				T result = reads.call();
				Transactions.commit(this.connection);
				return result;
			}
			catch (SQLException | RuntimeException ex) {
				Transactions.rollback(this.connection);
				throw ex;
			}
		}

		PreparedStatement prepare(String sql) throws SQLException {
			PreparedStatement statement = this.statements.get(sql);
			if (statement == null) {
				statement = this.connection.prepareStatement(sql);
				this.statements.put(sql, statement);
			}
			return statement;
		}

		private void close() {
			try {
				this.connection.close();
			}
			catch (SQLException ex) {
				logger.debug("Read connection did not close cleanly", ex);
			}
		}

	}

}
