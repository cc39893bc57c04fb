package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.gobstopper.tasks.TaskStorageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything that changes the task table, on one thread and one connection: merging the
 * journal into the table, deleting a task and deleting old tasks. Saves go on meanwhile,
 * since they only append to the journal. A cleanup that rebuilds the table copies it on a
 * connection of its own, in the calling thread, and uses the maintenance thread only for
 * its short first and last steps.
 * <p>
 * A merge that fails is retried after growing delays, and commits meanwhile plan no merge
 * of their own. Should merges fall too far behind, by rows or by the age of the oldest
 * unmerged save, saves {@link #awaitRoomForSaves() wait} for them, and are refused if they
 * do not catch up in time. An {@link Error} in any work of the maintenance thread fails
 * the storage for good: the executor would swallow it, so each task is guarded.
 */
final class TableMaintenance {

	/** A backlog of this many journal rows is merged at once; a smaller one after {@link #MERGE_DELAY_MILLIS}. */
	private static final int MERGE_BACKLOG_ROWS = 5_000;

	/** Merging waits this long so that one merge takes many saves. */
	private static final long MERGE_DELAY_MILLIS = 100;

	/** After a failed merge, the next one waits this long, twice as long after each further failure... */
	private static final long FIRST_RETRY_DELAY_MILLIS = 100;

	/** ...up to this long. */
	private static final long MAX_RETRY_DELAY_MILLIS = 5_000;

	/**
	 * Saves wait for merges beyond this many unmerged journal rows: far more than merges
	 * leave behind while they work, and a bound on the journal that reads and the next
	 * merge must go through.
	 */
	static final long MAX_BACKLOG_ROWS = 1_000_000;

	/** Saves wait for merges once the oldest unmerged save is this old. */
	static final Duration MAX_BACKLOG_AGE = Duration.ofMinutes(1);

	/** How often a caller waiting for the maintenance thread checks whether it is stuck. */
	private static final Duration POLL = Duration.ofMillis(100);

	/** Cleanup rebuilds the table when it deletes at least this many rows... */
	private static final int REBUILD_MIN_ROWS = 10_000;

	/** ...and at least one in this many of the table's rows. */
	private static final int REBUILD_SHARE = 8;

	/** What {@link #startCleanup} returns when the table is to be rebuilt. */
	private static final long REBUILD = -1;

	/**
	 * A rebuild catches up with the changes made while it copied in at most this many
	 * rounds before its last step...
	 */
	private static final int CATCH_UP_ROUNDS = 3;

	/** ...and stops earlier once no more tasks than this changed since the last round. */
	private static final int LAST_STEP_CHANGES = 500;

	/** Deleting in place removes this many rows per transaction, about 100 ms' worth. */
	private static final int DELETE_CHUNK_ROWS = 1_000;

	private static final int CONFLICT_ATTEMPTS = 10;

	private static final Log logger = LogFactory.getLog(TableMaintenance.class);

	private final Connection connection;

	private final DuckDbSql sql;

	private final JdbcTemplate jdbc;

	private final Journal journal;

	private final RecentRows recent;

	private final ScheduledThreadPoolExecutor executor;

	private final AtomicBoolean mergeDue = new AtomicBoolean();

	private final AtomicBoolean mergeScheduled = new AtomicBoolean();

	private final Clock clock;

	private final Duration timeout;

	/** Guards the progress of merges that saves held back wait for. */
	private final Object progress = new Object();

	private volatile long mergedSeq;

	private volatile @Nullable Instant failingSince;

	/** One cleanup at a time: a rebuild's copy has a fixed name. */
	private final Lock cleanups = new ReentrantLock();

	/**
	 * The tasks that merges and deletes changed since a rebuild's last snapshot, while one
	 * runs; set, changed and cleared on the maintenance thread only.
	 */
	private volatile @Nullable Set<String> changedDuringRebuild;

	private volatile Consumer<Step> atStep = (step) -> {
	};

	/** Why the last merge failed, while merges fail. */
	private volatile @Nullable Exception mergeFailure;

	/** Whether a failed merge's retry is planned: commits then plan no merge of their own. */
	private volatile boolean retrying;

	/** Failed merges in a row; only the maintenance thread touches it. */
	private int failedAttempts;

	/** Failed merges ever, guarded by {@link #progress}. */
	private long failedMerges;

	/** When the oldest unmerged save committed, by {@link System#nanoTime()}, or 0; written under {@link #progress}. */
	private volatile long oldestUnmergedNanos;

	private volatile @Nullable Throwable failure;

	/** What the maintenance thread works on, or {@code null} while it waits. */
	private volatile @Nullable Guarded<?> current;

	private volatile long currentSinceNanos;

	private volatile long maxBacklogRows = MAX_BACKLOG_ROWS;

	private volatile Duration maxBacklogAge = MAX_BACKLOG_AGE;

	private volatile Runnable beforeMerge = () -> {
	};

	/**
	 * Create the maintenance of a task table; it owns the connection from then on, and
	 * closes it when its thread ends.
	 * @param timeout how long the thread may spend on one piece of work before callers
	 * that wait behind it give up, and how long saves wait for merges that fall behind
	 * @param onStop run once the thread has ended and the connection is closed
	 */
	TableMaintenance(Connection connection, DuckDbSql sql, Journal journal, RecentRows recent, Clock clock,
			Duration timeout, Runnable onStop) {
		this.connection = connection;
		this.jdbc = DuckDbExceptionTranslator.jdbcTemplate(connection);
		this.sql = sql;
		this.journal = journal;
		this.recent = recent;
		this.clock = clock;
		this.timeout = timeout;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "gobstopper-tasks-maintenance");
			thread.setDaemon(true);
			return thread;
		}) {

			@Override
			protected void terminated() {
				// No work runs any more: nobody uses the connection
				closeConnection();
				onStop.run();
			}

		};
		// Closing runs a last merge of its own rather than waiting for a planned one
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.setRemoveOnCancelPolicy(true);
		this.executor = executor;
	}

	/**
	 * Note that the journal has grown, and plan a merge, unless the retry of a failed one
	 * is planned already.
	 */
	void journalCommitted() {
		synchronized (this.progress) {
			if (this.oldestUnmergedNanos == 0) {
				this.oldestUnmergedNanos = System.nanoTime();
			}
		}
		if (this.retrying) {
			return;
		}
		if (this.journal.committedSeq() - this.mergedSeq >= MERGE_BACKLOG_ROWS) {
			if (this.mergeDue.compareAndSet(false, true)) {
				submit(background("merging the journal", () -> {
					this.mergeDue.set(false);
					mergeQuietly();
				}));
			}
		}
		else {
			scheduleMerge(MERGE_DELAY_MILLIS);
		}
	}

	private void scheduleMerge(long delayMillis) {
		if (this.mergeScheduled.compareAndSet(false, true)) {
			try {
				this.executor.schedule(background("merging the journal", () -> {
					this.mergeScheduled.set(false);
					mergeQuietly();
				}), delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Closing: the last merge runs in close()
			}
		}
	}

	/**
	 * Return at once while merges keep up; otherwise wait until they catch up, and give
	 * up when they do not within the timeout or a merge fails meanwhile.
	 * @throws TaskStorageException if merges have not caught up: nothing may be saved
	 */
	void awaitRoomForSaves() {
		if (!overBound()) {
			return;
		}
		long deadline = System.nanoTime() + this.timeout.toNanos();
		synchronized (this.progress) {
			long failedBefore = this.failedMerges;
			while (overBound()) {
				Throwable failure = this.failure;
				if (failure != null) {
					throw new TaskStorageException("Nothing was saved: the task table maintenance thread failed: "
							+ failure, failure);
				}
				long left = deadline - System.nanoTime();
				if (left <= 0 || this.failedMerges > failedBefore) {
					throw backpressure();
				}
				try {
					this.progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw backpressure();
				}
			}
		}
	}

	private boolean overBound() {
		long oldest = this.oldestUnmergedNanos;
		return backlog() > this.maxBacklogRows
				|| (oldest != 0 && System.nanoTime() - oldest > this.maxBacklogAge.toNanos());
	}

	private TaskStorageException backpressure() {
		Exception cause = this.mergeFailure;
		Instant since = this.failingSince;
		String why = (cause != null && since != null)
				? "merges of the journal " + this.sql.journal + " into " + this.sql.table + " are failing since "
						+ since + "; the last one failed with: " + cause
				: "merges of the journal " + this.sql.journal + " into " + this.sql.table + " have fallen behind";
		long oldest = this.oldestUnmergedNanos;
		String age = (oldest != 0) ? ", the oldest for " + describe(Duration.ofNanos(System.nanoTime() - oldest)) : "";
		return new TaskStorageException("Nothing was saved: " + why + ". " + backlog() + " saves wait unmerged" + age
				+ "; beyond " + this.maxBacklogRows + " saves or " + describe(this.maxBacklogAge)
				+ ", saves wait up to " + describe(this.timeout) + " for merges to catch up, and are refused if they"
				+ " do not", cause);
	}

	private static String describe(Duration duration) {
		return (duration.toMillis() < 10_000) ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
	}

	/**
	 * Delete a task from the table and the journal. Journal rows committed after the
	 * journal last published its progress are left alone: their callers may not have been
	 * released yet, so they count as saves made after this delete.
	 */
	boolean delete(String id) {
		return call("deleting task '" + id + "'", true, () -> inTransaction(() -> {
			List<Long> journalSeqs = this.jdbc.queryForList(this.sql.deleteJournalById, Long.class, id,
					this.journal.committedSeq());
			boolean deleted = this.jdbc.update(this.sql.deleteById, id) > 0 || !journalSeqs.isEmpty();
			changed(List.of(id));
			long journalSeq = journalSeqs.stream().mapToLong(Long::longValue).max().orElse(0);
			return new Outcome<>(deleted, () -> this.recent.deleted(id, journalSeq));
		}));
	}

	/**
	 * Delete finished tasks that completed before the cutoff, without holding up the
	 * merges and deletes of the table for long.
	 * <p>
	 * DuckDB removes each deleted row from the primary key index when the delete commits,
	 * which is slow for many rows: when a large share of the table goes, the rows that stay
	 * are copied into a new table instead, several times faster. That copy is made on a
	 * connection of its own, from a snapshot, while merges and deletes go on; only the last
	 * step, which applies what they changed meanwhile and puts the copy in the table's
	 * place, holds them up. Fewer rows are deleted in place, a chunk per transaction, so
	 * that merges and deletes run between the chunks.
	 * @return the number of tasks deleted
	 */
	int deleteCompletedBefore(LocalDateTime cutoffUtc) {
		lockCleanups();
		Connection copy = null;
		try {
			copy = this.connection.unwrap(DuckDBConnection.class).duplicate();
			dropCopyLeftBehind(copy);
			Connection rebuildConnection = copy;
			long expired = call("starting a cleanup", false, () -> startCleanup(rebuildConnection, cutoffUtc));
			if (expired == REBUILD) {
				return rebuild(copy, cutoffUtc);
			}
			return (expired > 0) ? deleteInChunks(cutoffUtc) : 0;
		}
		catch (SQLException ex) {
			throw new TaskStorageException("Could not delete old tasks: " + ex.getMessage(), ex);
		}
		finally {
			if (copy != null) {
				finishCleanup(copy);
			}
			this.cleanups.unlock();
		}
	}

	private void lockCleanups() {
		try {
			if (!this.cleanups.tryLock(this.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new TaskStorageException("Nothing was deleted: another cleanup of " + this.sql.table
						+ " has been running for longer than the storage's timeout of " + describe(this.timeout));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskStorageException("Nothing was deleted: interrupted while waiting for another cleanup of "
					+ this.sql.table, ex);
		}
	}

	/**
	 * Drop the copy that a rebuild stopped by a crash or a failure may have left behind.
	 * Looked for first, since dropping commits, and commits wait for one another.
	 */
	private void dropCopyLeftBehind(Connection copy) throws SQLException {
		if (count(copy, this.sql.countRebuildTables, null) > 0) {
			Transactions.execute(copy, this.sql.dropRebuildIfExists);
		}
	}

	/**
	 * End a cleanup on the maintenance thread, after any step of it still running there,
	 * which may use the copy's connection: stop noting changes, roll back and drop what a
	 * rebuild that did not finish left, and close the connection. Should the storage be
	 * closing, that is done once the maintenance thread has ended, or never if it is stuck.
	 */
	private void finishCleanup(Connection copy) {
		Runnable finish = () -> {
			this.changedDuringRebuild = null;
			Transactions.rollback(copy);
			try {
				dropCopyLeftBehind(copy);
			}
			catch (SQLException ex) {
				logger.debug("Could not drop the copy of a rebuild that did not finish; the next cleanup drops it", ex);
			}
			closeQuietly(copy);
		};
		try {
			this.executor.execute(background("finishing a cleanup", finish));
		}
		catch (RejectedExecutionException ex) {
			awaitTerminationThen(finish);
		}
	}

	/**
	 * Merge the journal, count the expired rows and, if the table is to be rebuilt, begin
	 * the copy's transaction on the given connection and start noting the tasks that merges
	 * and deletes change from then on. Runs on the maintenance thread, so that no merge or
	 * delete comes between the copy's snapshot and the first change noted.
	 * @return the number of expired rows, or {@link #REBUILD}
	 */
	private long startCleanup(Connection copy, LocalDateTime cutoffUtc) throws SQLException {
		merge();
		Transactions.begin(copy);
		try {
			long expired = count(copy, this.sql.countExpired, cutoffUtc);
			if (expired >= REBUILD_MIN_ROWS && expired * REBUILD_SHARE >= count(copy, this.sql.countAll, null)) {
				this.changedDuringRebuild = new HashSet<>();
				return REBUILD;
			}
			Transactions.rollback(copy);
			return expired;
		}
		catch (SQLException | RuntimeException ex) {
			Transactions.rollback(copy);
			throw ex;
		}
	}

	private int deleteInChunks(LocalDateTime cutoffUtc) {
		int deleted = 0;
		while (true) {
			int chunk = call("deleting tasks completed before " + cutoffUtc, true, () -> inTransaction(() -> {
				int rows = this.jdbc.update(this.sql.deleteExpiredChunk, cutoffUtc, DELETE_CHUNK_ROWS);
				return new Outcome<>(rows, () -> this.recent.deletedCompletedBefore(cutoffUtc));
			}));
			deleted += chunk;
			if (chunk < DELETE_CHUNK_ROWS) {
				return deleted;
			}
		}
	}

	/**
	 * Replace the task table by a copy without the expired rows. The copy keeps the
	 * table's own column order, defaults, NOT NULLs, primary key and secondary indexes, so
	 * that a table in the layout of today's Gobstopper, whose Python code reads rows by
	 * position, keeps that layout.
	 * <p>
	 * Every step is a transaction of its own: a crash leaves the task table as it was, at
	 * most with a copy beside it that the next cleanup drops.
	 * @param copy a connection of the rebuild's own, in the transaction begun by
	 * {@link #startCleanup}
	 * @return the number of tasks deleted
	 */
	private int rebuild(Connection copy, LocalDateTime cutoffUtc) throws SQLException {
		List<String> columns = new ArrayList<>();
		try (PreparedStatement statement = copy.prepareStatement(this.sql.columnDefinitions)) {
			statement.setString(1, this.sql.table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					columns.add(DuckDbSql.columnDefinition(rs.getString("column_name"), rs.getString("data_type"),
							rs.getString("column_default"), rs.getBoolean("is_nullable")));
				}
			}
		}
		Transactions.execute(copy, this.sql.createRebuild(columns));
		update(copy, this.sql.copyUnexpiredToRebuild, cutoffUtc);
		Transactions.commit(copy);
		// The key gets a transaction of its own. Added where the rows were, DuckDB builds
		// it at the commit, and every other commit waits (350-400 ms for half a million
		// rows here); added to committed rows, it is built before its commit, which
		// holds the others up for about 100 ms
		Transactions.begin(copy);
		Transactions.execute(copy, this.sql.addRebuildPrimaryKey);
		Transactions.commit(copy);
		this.atStep.accept(Step.REBUILD_COPIED);
		// Catch up with the changes made meanwhile in rounds, each in a snapshot of its
		// own, until few are left for the last step
		for (int round = 0; round < CATCH_UP_ROUNDS; round++) {
			Set<String> changed = call("catching up a cleanup's copy of the table", true, () -> nextCatchUp(copy));
			if (changed == null) {
				break;
			}
			try {
				applyChanges(copy, changed, cutoffUtc);
				Transactions.commit(copy);
			}
			catch (SQLException | RuntimeException ex) {
				Transactions.rollback(copy);
				throw ex;
			}
		}
		return call("replacing the task table by its cleaned copy", false, () -> replaceTable(copy, cutoffUtc));
	}

	/**
	 * Begin a catch-up round of the rebuild on the maintenance thread: take the tasks
	 * changed so far, and a snapshot that holds their changes, unless so few changed that
	 * the last step takes them.
	 * @return the ids changed, or {@code null} if the last step takes them
	 */
	private @Nullable Set<String> nextCatchUp(Connection copy) throws SQLException {
		Set<String> changed = this.changedDuringRebuild;
		if (changed == null || changed.size() <= LAST_STEP_CHANGES) {
			return null;
		}
		Transactions.begin(copy);
		try {
			// DuckDB takes a transaction's snapshot when it first reads the database
			count(copy, this.sql.countRebuild, null);
		}
		catch (SQLException | RuntimeException ex) {
			Transactions.rollback(copy);
			throw ex;
		}
		this.changedDuringRebuild = new HashSet<>();
		return changed;
	}

	/**
	 * The last step of a rebuild, on the maintenance thread and in one transaction: apply
	 * the changes made since the last round, and put the copy in the table's place.
	 * @return the number of rows the table loses
	 */
	private int replaceTable(Connection copy, LocalDateTime cutoffUtc) throws SQLException {
		Set<String> changed = this.changedDuringRebuild;
		Transactions.begin(copy);
		try {
			List<String> indexes = new ArrayList<>();
			try (PreparedStatement statement = copy.prepareStatement(this.sql.indexDefinitions)) {
				statement.setString(1, this.sql.table);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						indexes.add(rs.getString(1));
					}
				}
			}
			if (changed != null && !changed.isEmpty()) {
				applyChanges(copy, changed, cutoffUtc);
			}
			long deleted = count(copy, this.sql.countAll, null) - count(copy, this.sql.countRebuild, null);
			Transactions.execute(copy, this.sql.dropTable);
			Transactions.execute(copy, this.sql.renameRebuild);
			for (String index : indexes) {
				Transactions.execute(copy, index);
			}
			this.atStep.accept(Step.REBUILD_REPLACING);
			Transactions.commit(copy);
			this.recent.deletedCompletedBefore(cutoffUtc);
			this.changedDuringRebuild = null;
			return (int) deleted;
		}
		catch (SQLException | RuntimeException ex) {
			Transactions.rollback(copy);
			throw ex;
		}
	}

	/**
	 * Make the copy hold what the task table holds of the given tasks, less the expired
	 * rows, in the copy connection's current transaction.
	 */
	private void applyChanges(Connection copy, Set<String> ids, LocalDateTime cutoffUtc) throws SQLException {
		Transactions.execute(copy, this.sql.createChangedIds);
		try (DuckDBAppender appender = copy.unwrap(DuckDBConnection.class)
			.createAppender("temp", "main", this.sql.changedIds)) {
			for (String id : ids) {
				appender.beginRow();
				appender.append(id);
				appender.endRow();
			}
		}
		Transactions.execute(copy, this.sql.deleteChangedFromRebuild);
		update(copy, this.sql.copyChangedToRebuild, cutoffUtc);
	}

	/**
	 * Note, on the maintenance thread, that a task of the table changed, if a rebuild
	 * is copying the table.
	 */
	private void changed(Collection<String> ids) {
		Set<String> changed = this.changedDuringRebuild;
		if (changed != null) {
			changed.addAll(ids);
		}
	}

	private void awaitTerminationThen(Runnable finish) {
		try {
			if (this.executor.awaitTermination(this.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				finish.run();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("The connection of a cleanup did not close cleanly", ex);
		}
	}

	private static long count(Connection connection, String query, @Nullable LocalDateTime parameter)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			if (parameter != null) {
				statement.setObject(1, parameter);
			}
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private static void update(Connection connection, String statement, LocalDateTime parameter)
			throws SQLException {
		try (PreparedStatement prepared = connection.prepareStatement(statement)) {
			prepared.setObject(1, parameter);
			prepared.executeUpdate();
		}
	}

	/**
	 * Run a hook at the given steps of merges and rebuilds, on the thread that runs them.
	 * For tests that need a step in progress.
	 */
	void onStep(Consumer<Step> hook) {
		this.atStep = hook;
	}

	/**
	 * Merge what is left and stop. If the thread has not stopped by the deadline, such as
	 * when it is stuck in a statement, it is interrupted and left to end on its own, and
	 * closes its connection when it does.
	 * @param deadlineNanos when to give up, by {@link System#nanoTime()}
	 * @return whether the thread stopped
	 */
	boolean close(long deadlineNanos) throws InterruptedException {
		try {
			this.executor.execute(background("the last merge", this::mergeQuietly));
		}
		catch (RejectedExecutionException ex) {
			// Closed already
		}
		this.executor.shutdown();
		if (this.executor.awaitTermination(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
			return true;
		}
		for (Runnable never : this.executor.shutdownNow()) {
			if (never instanceof Future<?> future) {
				future.cancel(false);
			}
		}
		return false;
	}

	/**
	 * Return what the thread has been stuck on beyond the timeout, or {@code null} if it is
	 * not stuck.
	 */
	@Nullable String stuckOn() {
		long busy = System.nanoTime() - this.currentSinceNanos;
		return (busy > this.timeout.toNanos()) ? busyWith() : null;
	}

	/**
	 * Return what the thread works on and for how long, or {@code null} if it waits for
	 * work.
	 */
	@Nullable String busyWith() {
		Guarded<?> current = this.current;
		long busy = System.nanoTime() - this.currentSinceNanos;
		return (current != null) ? current.what + " for " + TimeUnit.NANOSECONDS.toMillis(busy) + " ms" : null;
	}

	/**
	 * Return what ended the maintenance thread's work for good, if anything.
	 */
	@Nullable Throwable failure() {
		return this.failure;
	}

	private void mergeQuietly() {
		try {
			merge();
		}
		catch (SQLException | RuntimeException ex) {
			mergeFailed(ex);
		}
	}

	/**
	 * Retry a failed merge after a delay that doubles with each failure in a row, up to a
	 * cap. The failure is logged in full once, when merges start failing.
	 */
	private void mergeFailed(Exception ex) {
		this.failedAttempts++;
		this.mergeFailure = ex;
		if (this.failedAttempts == 1) {
			this.failingSince = this.clock.instant();
			logger.warn("Could not merge the journal " + this.sql.journal + " into " + this.sql.table
					+ "; saves stay in the journal, and the merge is retried with growing delays up to "
					+ MAX_RETRY_DELAY_MILLIS + " ms until it succeeds", ex);
		}
		this.retrying = true;
		synchronized (this.progress) {
			this.failedMerges++;
			this.progress.notifyAll();
		}
		int doublings = Math.min(this.failedAttempts - 1, 16);
		scheduleMerge(Math.min(FIRST_RETRY_DELAY_MILLIS << doublings, MAX_RETRY_DELAY_MILLIS));
	}

	private void mergeSucceeded(long startNanos, long upTo) {
		synchronized (this.progress) {
			this.oldestUnmergedNanos = (this.journal.committedSeq() > upTo) ? startNanos : 0;
			this.progress.notifyAll();
		}
		if (this.failedAttempts > 0) {
			logger.info("Merging the journal " + this.sql.journal + " into " + this.sql.table + " works again, after "
					+ this.failedAttempts + " failed attempts since " + this.failingSince);
			this.failedAttempts = 0;
		}
		this.failingSince = null;
		this.mergeFailure = null;
		if (this.retrying) {
			this.retrying = false;
			// Commits planned no merge while the retry was planned, and this one ended before some
			if (this.journal.committedSeq() > upTo) {
				scheduleMerge(MERGE_DELAY_MILLIS);
			}
		}
	}

	/**
	 * Merge every committed journal row into the task table, on the calling thread: the
	 * maintenance thread, or the storage at start-up before any other thread uses it.
	 */
	void merge() throws SQLException {
		long startNanos = System.nanoTime();
		long upTo = this.journal.committedSeq();
		if (upTo <= this.mergedSeq) {
			mergeSucceeded(startNanos, upTo);
			return;
		}
		long cleanupsBefore = this.recent.cleanups();
		this.beforeMerge.run();
		inTransaction(() -> {
			if (this.changedDuringRebuild != null) {
				changed(mergedIds(upTo));
			}
			for (String statement : new String[] { this.sql.deleteReplacedRows, this.sql.insertLatestJournalRows,
					this.sql.deleteMergedJournal }) {
				this.jdbc.update(statement, upTo);
			}
			this.atStep.accept(Step.MERGE);
			return Outcome.of(0);
		});
		this.mergedSeq = upTo;
		this.recent.merged(upTo, cleanupsBefore);
		mergeSucceeded(startNanos, upTo);
	}

	private List<String> mergedIds(long upTo) {
		return this.jdbc.queryForList(this.sql.journalIdsUpTo, String.class, upTo);
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
	 * Run a hook on the maintenance thread before each merge that has rows to merge: to
	 * make merges fail, stall or end the thread, for tests of what follows.
	 */
	void beforeMerge(Runnable hook) {
		this.beforeMerge = hook;
	}

	/**
	 * Change how far merges may fall behind before saves wait for them, for tests.
	 */
	void limitBacklog(long rows, Duration age) {
		this.maxBacklogRows = rows;
		this.maxBacklogAge = age;
	}

	/**
	 * Run work in a transaction, retrying it when DuckDB reports a write conflict with
	 * another connection; after the commit, run the work's follow-up.
	 */
	private <T> T inTransaction(SqlWork<Outcome<T>> work) throws SQLException {
		for (int attempt = 1;; attempt++) {
			Outcome<T> outcome;
			try {
				this.jdbc.execute("BEGIN TRANSACTION");
				outcome = work.run();
				this.jdbc.execute("COMMIT");
			}
			catch (ConcurrencyFailureException ex) {
				Transactions.rollback(this.connection);
				if (attempt < CONFLICT_ATTEMPTS) {
					backOff(attempt);
					continue;
				}
				throw ex;
			}
			catch (SQLException | RuntimeException ex) {
				Transactions.rollback(this.connection);
				throw ex;
			}
			outcome.afterCommit().run();
			return outcome.result();
		}
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

	/**
	 * Guard work that nobody waits for: whatever it throws is unexpected, and fails the
	 * storage.
	 */
	private Runnable background(String what, Runnable work) {
		Guarded<Void> guarded = new Guarded<>(what, () -> {
			work.run();
			return null;
		});
		return () -> {
			try {
				guarded.call();
			}
			catch (Throwable ex) {
				failed(what, ex);
			}
		};
	}

	private void failed(String what, Throwable ex) {
		if (this.failure == null) {
			this.failure = ex;
			logger.error("The task table maintenance thread failed while " + what
					+ "; the task storage refuses every call from now on", ex);
			// Saves waiting for merges wait no longer
			synchronized (this.progress) {
				this.progress.notifyAll();
			}
		}
	}

	/**
	 * Run work on the maintenance thread and return its result. The caller gives up once
	 * the thread has been on one piece of work for longer than the timeout: other work, or
	 * the caller's own if bounded.
	 * @param what what the work does, for messages, such as "deleting task 'x'"
	 * @param bounded whether the caller's own work is bounded too
	 * @param task the work
	 */
	private <T> T call(String what, boolean bounded, Callable<T> task) {
		Guarded<T> guarded = new Guarded<>(what, task);
		Future<T> future;
		try {
			future = this.executor.submit(guarded);
		}
		catch (RejectedExecutionException ex) {
			throw new IllegalStateException("TaskStorage is closed", ex);
		}
		try {
			while (true) {
				try {
					return future.get(POLL.toNanos(), TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					String stuckOn = stuckOn();
					if (stuckOn != null && (bounded || this.current != guarded)) {
						giveUp(what, future, "the task table maintenance has been " + stuckOn
								+ ", longer than the storage's timeout of " + describe(this.timeout));
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					giveUp(what, future, "interrupted while waiting for the task table maintenance");
				}
			}
		}
		catch (CancellationException ex) {
			throw new IllegalStateException("TaskStorage is closed: " + what + " did not happen", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof DataAccessException && !(cause instanceof TaskStorageException)) {
				throw new TaskStorageException(capitalized(what) + " failed: " + cause.getMessage(), cause);
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error) {
				throw new TaskStorageException(capitalized(what)
						+ " failed, and the task table maintenance thread with it: " + cause, cause);
			}
			throw new TaskStorageException(capitalized(what) + " failed: " + cause.getMessage(), cause);
		}
	}

	/**
	 * The steps at which {@link #onStep} hooks run.
	 */
	enum Step {

		/** A merge, inside its transaction. */
		MERGE,

		/** A rebuild, once its copy has committed, before it catches up. */
		REBUILD_COPIED,

		/** A rebuild's last step, with the copy in the table's place, before it commits. */
		REBUILD_REPLACING

	}

	/**
	 * Stop waiting for work: withdraw it if it has not started. Returns only if the work
	 * is done meanwhile.
	 */
	private static void giveUp(String what, Future<?> future, String why) {
		if (future.cancel(false)) {
			throw new TaskStorageException(capitalized(what) + " did not happen: " + why);
		}
		if (!future.isDone()) {
			throw new TaskStorageException(capitalized(what) + " may or may not have happened: " + why);
		}
	}

	private static String capitalized(String what) {
		return Character.toUpperCase(what.charAt(0)) + what.substring(1);
	}

	private void closeConnection() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			logger.debug("Maintenance connection did not close cleanly", ex);
		}
	}

	/**
	 * Work of the maintenance thread that tells what the thread is on, and notes an
	 * {@link Error} in it as the end of the thread's work for good.
	 */
	private final class Guarded<T> implements Callable<T> {

		private final String what;

		private final Callable<T> work;

		Guarded(String what, Callable<T> work) {
			this.what = what;
			this.work = work;
		}

		@Override
		public T call() throws Exception {
			TableMaintenance.this.currentSinceNanos = System.nanoTime();
			TableMaintenance.this.current = this;
			try {
				return this.work.call();
			}
			catch (Error ex) {
				failed(this.what, ex);
				throw ex;
			}
			finally {
				TableMaintenance.this.current = null;
			}
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
