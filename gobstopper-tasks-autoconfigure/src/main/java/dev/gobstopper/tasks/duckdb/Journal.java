package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.support.TaskRow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The durable journal of saves: one writer thread appends concurrent saves to the journal
 * table as one group per commit, and releases each caller once its group has committed.
 * <p>
 * DuckDB pays per statement and per commit, not per row, so appending a group costs about
 * as much as appending one row. Every journal row carries a sequence number in call order;
 * the latest per id is the task's state until {@link TableMaintenance} merges it into the
 * task table. Each committed group is published to the {@link RecentRows} before its
 * callers are released, so reads of a task saved moments ago need no query.
 * <p>
 * Writes that depend on what is stored, such as claiming the next task, are
 * {@link Decision decided} on the writer thread itself, in line with the saves: each sees
 * every row written before it, and nothing can come between what it reads and what it
 * writes.
 */
final class Journal {

	/** The most rows committed together, unless one batch alone holds more. */
	private static final int MAX_GROUP_ROWS = 10_000;

	private static final Log logger = LogFactory.getLog(Journal.class);

	private static final Write CLOSE = new Write(List.of());

	private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();

	/** The rows of the group being written, by id: what decisions see beyond the committed state. */
	private final Map<String, TaskRow> groupRows = new HashMap<>();

	private final DuckDBConnection connection;

	private final DuckDbSql sql;

	private final RecentRows recent;

	private final Thread writer;

	private volatile long committedSeq;

	private volatile Runnable onCommit = () -> {
	};

	private volatile Sequencer sequencer = Sequencer.NONE;

	private volatile @Nullable Throwable failure;

	private long nextSeq;

	private boolean closed;

	private @Nullable DuckDBAppender appender;

	/**
	 * Create a journal that continues after the highest sequence number already in it.
	 * @param connection the connection the writer uses alone
	 * @param sql the storage's SQL
	 * @param lastSeq the highest sequence number in the journal table
	 * @param recent the rows kept in memory, told of every row committed
	 */
	Journal(Connection connection, DuckDbSql sql, long lastSeq, RecentRows recent) throws SQLException {
		this.connection = connection.unwrap(DuckDBConnection.class);
		this.sql = sql;
		this.recent = recent;
		this.committedSeq = lastSeq;
		this.nextSeq = lastSeq + 1;
		this.writer = new Thread(this::run, "gobstopper-tasks-journal");
		this.writer.setDaemon(true);
	}

	void start(Runnable onCommit, Sequencer sequencer) {
		this.onCommit = onCommit;
		this.sequencer = sequencer;
		this.writer.start();
	}

	/**
	 * Append rows to the journal in one transaction and return once it has committed.
	 * @param rows the rows, in call order
	 * @throws IllegalStateException if the journal is closed
	 * @throws TaskStorageException if the rows could not be committed
	 */
	void append(List<TaskRow> rows) {
		enqueue(new Write(rows));
	}

	/**
	 * Decide on the writer thread what to write, after every write queued before, and
	 * return once what was decided has committed.
	 * @param what what is decided, for failure messages
	 * @param decision the decision
	 * @return the decision's result
	 * @throws IllegalStateException if the journal is closed
	 * @throws TaskStorageException if the decision failed or its rows could not be
	 * committed
	 */
	@SuppressWarnings("unchecked")
	<T> T decide(String what, Decision<T> decision) {
		Write write = new Write(what, decision);
		enqueue(write);
		return (T) write.result;
	}

	private void enqueue(Write write) {
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("TaskStorage is closed: tasks can no longer be saved");
			}
			this.queue.add(write);
		}
		write.await();
	}

	/**
	 * Return why the writer stopped, if it stopped by a failure rather than by
	 * {@link #close()}.
	 */
	@Nullable Throwable failure() {
		return this.failure;
	}

	long committedSeq() {
		return this.committedSeq;
	}

	/**
	 * Make the writer stop, as an unexpected error in it would, once it has committed the
	 * next group and released its callers. For tests of what follows.
	 */
	void failAfterNextCommit() {
		this.onCommit = () -> {
			throw new IllegalStateException("Journal writer stopped on purpose");
		};
	}

	/**
	 * Commit every save already accepted, then stop the writer. Saves after this are
	 * refused.
	 */
	void close() throws InterruptedException {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.queue.add(CLOSE);
		}
		this.writer.join();
	}

	private void run() {
		List<Write> group = new ArrayList<>();
		Throwable stopped = null;
		try {
			while (true) {
				Write first = this.queue.take();
				if (first == CLOSE) {
					return;
				}
				int rows = sequence(first, group);
				for (Write next = this.queue.peek(); next != null && next != CLOSE
						&& rows + next.size() <= MAX_GROUP_ROWS; next = this.queue.peek()) {
					rows += sequence(this.queue.remove(), group);
				}
				commit(group);
				group.clear();
				this.groupRows.clear();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stopped = ex;
		}
		catch (Throwable ex) {
			logger.error("The task journal writer stopped; saves are refused from now on", ex);
			this.failure = ex;
			stopped = ex;
		}
		finally {
			synchronized (this) {
				this.closed = true;
			}
			closeAppender();
			failAll(group, stopped);
		}
	}

	/**
	 * Add a write to the group, deciding its rows first if it is a decision, and tell the
	 * sequencer of each row in the order written.
	 * @return the number of rows added
	 */
	private int sequence(Write write, List<Write> group) {
		if (write.decision != null) {
			try {
				Decided<?> decided = write.decision.decide(this.connection, Collections.unmodifiableMap(this.groupRows));
				write.rows = decided.rows();
				write.result = decided.result();
			}
			catch (SQLException | RuntimeException ex) {
				write.fail(ex);
				return 0;
			}
		}
		for (TaskRow row : write.rows) {
			this.groupRows.put(row.id(), row);
			this.sequencer.sequenced(row);
		}
		group.add(write);
		return write.rows.size();
	}

	/**
	 * Commit a group; if it fails, commit each write of it alone, so a bad write fails only
	 * its own caller.
	 */
	private void commit(List<Write> group) {
		if (group.stream().allMatch((write) -> write.rows.isEmpty())) {
			group.forEach(Write::done);
			return;
		}
		long firstSeq;
		try {
			firstSeq = appendGroup(group);
		}
		catch (SQLException | RuntimeException ex) {
			// What the sequencer was told of this group may not have been written
			this.sequencer.discarded();
			if (group.size() == 1) {
				group.get(0).fail(ex);
				return;
			}
			for (Write write : group) {
				commit(List.of(write));
			}
			return;
		}
		published(group, firstSeq);
	}

	/**
	 * Append a group in one transaction and return the sequence number of its first row.
	 */
	private long appendGroup(List<Write> group) throws SQLException {
		long firstSeq = this.nextSeq;
		long seq = firstSeq;
		Transactions.begin(this.connection);
		try {
			DuckDBAppender appender = appender();
			for (Write write : group) {
				for (TaskRow row : write.rows) {
					append(appender, row, seq++);
				}
			}
			appender.flush();
			Transactions.commit(this.connection);
			return firstSeq;
		}
		catch (SQLException | RuntimeException ex) {
			// Closing flushes what the appender still buffers: do it inside the transaction
			// that is about to be rolled back.
			closeAppender();
			Transactions.rollback(this.connection);
			throw ex;
		}
		finally {
			this.nextSeq = seq;
		}
	}

	/**
	 * Make a committed group visible to reads, then release its callers.
	 */
	private void published(List<Write> group, long firstSeq) {
		List<TaskRow> rows = new ArrayList<>();
		for (Write write : group) {
			rows.addAll(write.rows);
		}
		this.recent.published(rows, firstSeq);
		this.committedSeq = firstSeq + rows.size() - 1;
		for (Write write : group) {
			write.done();
		}
		this.onCommit.run();
	}

	private static void append(DuckDBAppender appender, TaskRow row, long seq) throws SQLException {
		appender.beginRow();
		appender.append(seq);
		appender.append(row.id());
		appender.append(row.name());
		appender.append(row.category());
		appender.append(row.priority());
		appender.append(row.status());
		appender.append(row.createdAt());
		appendNullable(appender, row.startedAt());
		appendNullable(appender, row.completedAt());
		appender.append(row.elapsedSeconds());
		appendNullable(appender, row.result());
		appendNullable(appender, row.error());
		appender.append(row.retryCount());
		appender.append(row.maxRetries());
		appendNullable(appender, row.args());
		appendNullable(appender, row.kwargs());
		appender.append(row.progress());
		appendNullable(appender, row.progressMessage());
		appender.append(row.attempt());
		appender.append(row.maxAttempts());
		appendNullable(appender, row.idempotencyKey());
		appendNullable(appender, row.notBefore());
		appendNullable(appender, row.nextAttemptAt());
		appendNullable(appender, row.leaseOwner());
		appendNullable(appender, row.leaseExpiresAt());
		appendNullable(appender, row.claimedAt());
		appendNullable(appender, row.lastHeartbeatAt());
		appender.endRow();
	}

	private static void appendNullable(DuckDBAppender appender, @Nullable LocalDateTime value) throws SQLException {
		if (value != null) {
			appender.append(value);
		}
		else {
			appender.appendNull();
		}
	}

	private static void appendNullable(DuckDBAppender appender, @Nullable String value) throws SQLException {
		if (value != null) {
			appender.append(value);
		}
		else {
			appender.appendNull();
		}
	}

	private DuckDBAppender appender() throws SQLException {
		if (this.appender == null) {
			this.appender = this.connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, this.sql.journal);
		}
		return this.appender;
	}

	private void closeAppender() {
		if (this.appender != null) {
			try {
				this.appender.close();
			}
			catch (SQLException | RuntimeException ex) {
				logger.debug("Journal appender did not close cleanly", ex);
			}
			this.appender = null;
		}
	}

	private void failAll(List<Write> group, @Nullable Throwable cause) {
		List<Write> left = new ArrayList<>(group);
		this.queue.drainTo(left);
		IllegalStateException stopped = new IllegalStateException(
				"TaskStorage is closed: the journal writer stopped", cause);
		left.forEach((write) -> write.fail(stopped));
	}

	/**
	 * What to write, decided on the writer thread from the committed state and the rows
	 * of the group being written.
	 */
	@FunctionalInterface
	interface Decision<T> {

		/**
		 * Decide what to write.
		 * @param connection the writer's connection, outside any transaction, to read the
		 * committed state
		 * @param groupRows the rows written before this decision but not yet committed, by
		 * id: they replace what the committed state holds of those tasks
		 * @return the rows to write and the caller's result
		 */
		Decided<T> decide(Connection connection, Map<String, TaskRow> groupRows) throws SQLException;

	}

	/**
	 * The rows a decision writes, and what its caller gets back once they committed.
	 */
	record Decided<T>(List<TaskRow> rows, T result) {

	}

	/**
	 * Told of every row on the writer thread, in the order of the journal, as it is added
	 * to a group and before the group commits.
	 */
	interface Sequencer {

		Sequencer NONE = new Sequencer() {

			@Override
			public void sequenced(TaskRow row) {
			}

			@Override
			public void discarded() {
			}

		};

		void sequenced(TaskRow row);

		/**
		 * A group failed to commit: some of the rows told of were not written.
		 */
		void discarded();

	}

	/**
	 * One caller's rows and the signal that releases it.
	 */
	private static final class Write {

		private final String description;

		private final @Nullable Decision<?> decision;

		private List<TaskRow> rows;

		private @Nullable Object result;

		private final CompletableFuture<Void> committed = new CompletableFuture<>();

		Write(List<TaskRow> rows) {
			this.description = describe(rows);
			this.decision = null;
			this.rows = rows;
		}

		Write(String description, Decision<?> decision) {
			this.description = description;
			this.decision = decision;
			this.rows = List.of();
		}

		/**
		 * Return the rows this write adds to a group; a decision counts as one until it is
		 * decided.
		 */
		int size() {
			return (this.decision != null) ? 1 : this.rows.size();
		}

		void done() {
			this.committed.complete(null);
		}

		void fail(Throwable cause) {
			this.committed.completeExceptionally(cause);
		}

		void await() {
			try {
				this.committed.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TaskStorageException("Interrupted while waiting for a save to commit; it may or may not be saved",
						ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof IllegalStateException closed) {
					throw new IllegalStateException(closed.getMessage(), closed);
				}
				throw new TaskStorageException(this.description + " could not be saved: " + cause.getMessage(), cause);
			}
		}

		private static String describe(List<TaskRow> rows) {
			if (rows.isEmpty()) {
				return "No task";
			}
			return (rows.size() == 1) ? "Task '" + rows.get(0).id() + "'"
					: "A batch of " + rows.size() + " tasks starting with '" + rows.get(0).id() + "'";
		}

	}

}
