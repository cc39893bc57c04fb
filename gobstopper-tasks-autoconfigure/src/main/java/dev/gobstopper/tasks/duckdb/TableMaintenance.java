package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gobstopper.tasks.TaskStorageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.ConcurrencyFailureException;

/**
 * Everything that changes the task table, on one thread and one connection: merging the
 * journal into the table, deleting a task and deleting old tasks. Saves go on meanwhile,
 * since they only append to the journal.
 */
final class TableMaintenance {

	/** A backlog of this many journal rows is merged at once; a smaller one after {@link #MERGE_DELAY_MILLIS}. */
	private static final int MERGE_BACKLOG_ROWS = 5_000;

	/** Merging waits this long so that one merge takes many saves. */
	private static final long MERGE_DELAY_MILLIS = 100;

	/** After a failed merge, the next one waits this long. */
	private static final long MERGE_RETRY_DELAY_MILLIS = 5_000;

	/** Cleanup rebuilds the table when it deletes at least this many rows... */
	private static final int REBUILD_MIN_ROWS = 10_000;

	/** ...and at least one in this many of the table's rows. */
	private static final int REBUILD_SHARE = 8;

	private static final int CONFLICT_ATTEMPTS = 10;

	private static final Log logger = LogFactory.getLog(TableMaintenance.class);

	private final Connection connection;

	private final DuckDbSql sql;

	private final Journal journal;

	private final RecentRows recent;

	private final ScheduledExecutorService executor;

	private final AtomicBoolean mergeDue = new AtomicBoolean();

	private final AtomicBoolean mergeScheduled = new AtomicBoolean();

	private final Clock clock;

	private volatile long mergedSeq;

	private volatile @Nullable Instant failingSince;

	TableMaintenance(Connection connection, DuckDbSql sql, Journal journal, RecentRows recent, Clock clock) {
		this.connection = connection;
		this.sql = sql;
		this.journal = journal;
		this.recent = recent;
		this.clock = clock;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "gobstopper-tasks-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		// Closing runs a last merge of its own rather than waiting for a planned one
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.executor = executor;
	}

	/**
	 * Note that the journal has grown, and plan a merge.
	 */
	void journalCommitted() {
		if (this.journal.committedSeq() - this.mergedSeq >= MERGE_BACKLOG_ROWS) {
			if (this.mergeDue.compareAndSet(false, true)) {
				submit(() -> {
					this.mergeDue.set(false);
					mergeQuietly();
				});
			}
		}
		else {
			scheduleMerge(MERGE_DELAY_MILLIS);
		}
	}

	private void scheduleMerge(long delayMillis) {
		if (this.mergeScheduled.compareAndSet(false, true)) {
			try {
				this.executor.schedule(() -> {
					this.mergeScheduled.set(false);
					mergeQuietly();
				}, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Closing: the last merge runs in close()
			}
		}
	}

	/**
	 * Delete a task from the table and the journal. Journal rows committed after the
	 * journal last published its progress are left alone: their callers may not have been
	 * released yet, so they count as saves made after this delete.
	 */
	boolean delete(String id) {
		return call(() -> inTransaction(() -> {
			long upTo = this.journal.committedSeq();
			long deletedSeq = 0;
			boolean deleted = false;
			try (PreparedStatement journalRows = this.connection.prepareStatement(this.sql.deleteJournalById)) {
				journalRows.setString(1, id);
				journalRows.setLong(2, upTo);
				try (ResultSet rs = journalRows.executeQuery()) {
					while (rs.next()) {
						deletedSeq = Math.max(deletedSeq, rs.getLong(1));
						deleted = true;
					}
				}
			}
			try (PreparedStatement tableRow = this.connection.prepareStatement(this.sql.deleteById)) {
				tableRow.setString(1, id);
				deleted |= tableRow.executeUpdate() > 0;
			}
			long journalSeq = deletedSeq;
			return new Outcome<>(deleted, () -> this.recent.deleted(id, journalSeq));
		}));
	}

	/**
	 * Delete finished tasks that completed before the cutoff. DuckDB removes each deleted
	 * row from the primary key index when the delete commits, which is slow for many rows;
	 * when a large share of the table goes, copying the rows that stay into a new table is
	 * several times faster, so that is done instead.
	 */
	int deleteCompletedBefore(LocalDateTime cutoffUtc) {
		return call(() -> {
			merge();
			return inTransaction(() -> {
				long expired = count(this.sql.countExpired, cutoffUtc);
				if (expired >= REBUILD_MIN_ROWS && expired * REBUILD_SHARE >= count(this.sql.countAll, null)) {
					rebuildWithout(cutoffUtc);
				}
				else if (expired > 0) {
					update(this.sql.deleteExpired, cutoffUtc);
				}
				return new Outcome<>((int) expired, () -> this.recent.deletedCompletedBefore(cutoffUtc));
			});
		});
	}

	/**
	 * Replace the task table by a copy without the expired rows, in the current
	 * transaction. The copy keeps the table's own column order, defaults, NOT NULLs,
	 * primary key and secondary indexes, so that a table in the layout of today's
	 * Gobstopper, whose Python code reads rows by position, keeps that layout.
	 */
	private void rebuildWithout(LocalDateTime cutoffUtc) throws SQLException {
		List<String> columns = new ArrayList<>();
		try (PreparedStatement statement = this.connection.prepareStatement(this.sql.columnDefinitions)) {
			statement.setString(1, this.sql.table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					columns.add(DuckDbSql.columnDefinition(rs.getString("column_name"), rs.getString("data_type"),
							rs.getString("column_default"), rs.getBoolean("is_nullable")));
				}
			}
		}
		List<String> indexes = new ArrayList<>();
		try (PreparedStatement statement = this.connection.prepareStatement(this.sql.indexDefinitions)) {
			statement.setString(1, this.sql.table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					indexes.add(rs.getString(1));
				}
			}
		}
		Transactions.execute(this.connection, this.sql.createRebuild(columns));
		update(this.sql.copyUnexpiredToRebuild, cutoffUtc);
		Transactions.execute(this.connection, this.sql.addRebuildPrimaryKey);
		Transactions.execute(this.connection, this.sql.dropTable);
		Transactions.execute(this.connection, this.sql.renameRebuild);
		for (String index : indexes) {
			Transactions.execute(this.connection, index);
		}
	}

	private long count(String query, @Nullable LocalDateTime parameter) throws SQLException {
		try (PreparedStatement statement = this.connection.prepareStatement(query)) {
			if (parameter != null) {
				statement.setObject(1, parameter);
			}
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private void update(String statement, LocalDateTime parameter) throws SQLException {
		try (PreparedStatement prepared = this.connection.prepareStatement(statement)) {
			prepared.setObject(1, parameter);
			prepared.executeUpdate();
		}
	}

	/**
	 * Merge what is left and stop.
	 */
	void close() throws InterruptedException {
		try {
			this.executor.submit(this::mergeQuietly);
		}
		catch (RejectedExecutionException ex) {
			return;
		}
		this.executor.shutdown();
		if (!this.executor.awaitTermination(5, TimeUnit.MINUTES)) {
			logger.warn("Task table maintenance did not finish within 5 minutes; unmerged saves stay in the journal "
					+ this.sql.journal + " and are merged at the next start");
			this.executor.shutdownNow();
		}
	}

	private void mergeQuietly() {
		try {
			merge();
		}
		catch (SQLException | RuntimeException ex) {
			if (this.failingSince == null) {
				this.failingSince = this.clock.instant();
			}
			logger.warn("Could not merge the journal " + this.sql.journal + " into " + this.sql.table
					+ "; saves stay in the journal and are merged later", ex);
			scheduleMerge(MERGE_RETRY_DELAY_MILLIS);
		}
	}

	/**
	 * Merge every committed journal row into the task table, on the calling thread: the
	 * maintenance thread, or the storage at start-up before any other thread uses it.
	 */
	void merge() throws SQLException {
		long upTo = this.journal.committedSeq();
		if (upTo <= this.mergedSeq) {
			return;
		}
		long cleanups = this.recent.cleanups();
		inTransaction(() -> {
			for (String statement : new String[] { this.sql.deleteReplacedRows, this.sql.insertLatestJournalRows,
					this.sql.deleteMergedJournal }) {
				try (PreparedStatement stmt = this.connection.prepareStatement(statement)) {
					stmt.setLong(1, upTo);
					stmt.executeUpdate();
				}
			}
			return Outcome.of(0);
		});
		this.mergedSeq = upTo;
		this.failingSince = null;
		this.recent.merged(upTo, cleanups);
	}

	/**
	 * Return the number of journal rows committed but not merged into the task table yet.
	 */
	long backlog() {
		return Math.max(0, this.journal.committedSeq() - this.mergedSeq);
	}

	/**
	 * Return since when merges have been failing, or {@code null} if the last one
	 * succeeded.
	 */
	@Nullable Instant failingSince() {
		return this.failingSince;
	}

	/**
	 * Run work in a transaction, retrying it when DuckDB reports a write conflict with
	 * another connection; after the commit, run the work's follow-up.
	 */
	private <T> T inTransaction(SqlWork<Outcome<T>> work) throws SQLException {
		for (int attempt = 1;; attempt++) {
			Transactions.begin(this.connection);
			Outcome<T> outcome;
			try {
				outcome = work.run();
				Transactions.commit(this.connection);
			}
			catch (SQLException ex) {
				Transactions.rollback(this.connection);
				if (attempt < CONFLICT_ATTEMPTS && isConflict(ex)) {
					backOff(attempt);
					continue;
				}
				throw ex;
			}
			catch (RuntimeException ex) {
				Transactions.rollback(this.connection);
				throw ex;
			}
			outcome.afterCommit().run();
			return outcome.result();
		}
	}

	private static boolean isConflict(SQLException ex) {
		return DuckDbExceptionTranslator.INSTANCE.translate("Writing the task table", null,
				ex) instanceof ConcurrencyFailureException;
	}

	private static void backOff(int attempt) throws SQLException {
		try {
			Thread.sleep(attempt * 2L);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException("Interrupted while retrying a write conflict", ex);
		}
	}

	private void submit(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closing: the last merge runs in close()
		}
	}

	private <T> T call(Callable<T> task) {
		Future<T> future;
		try {
			future = this.executor.submit(task);
		}
		catch (RejectedExecutionException ex) {
			throw new IllegalStateException("TaskStorage is closed", ex);
		}
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskStorageException("Interrupted while waiting for the task table", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new TaskStorageException("The task table could not be changed: " + cause.getMessage(), cause);
		}
	}

	@FunctionalInterface
	private interface SqlWork<T> {

		T run() throws SQLException;

	}

	/**
	 * What a transaction returns, and what to do once it has committed.
	 */
	private record Outcome<T>(T result, Runnable afterCommit) {

		static <T> Outcome<T> of(T result) {
			return new Outcome<>(result, () -> {
			});
		}

	}

}
