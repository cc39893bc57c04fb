package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.support.TaskCodec;
import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * The next ready tasks of each category, in claim order, kept in memory so that a claim
 * needs no query. DuckDB spends about a millisecond planning each query, so the first
 * tasks of a category are fetched in one query, and kept exact afterwards: the journal's
 * writer tells of every row it writes, in order, and each row replaces what is kept of its
 * task. Claims are decided on the writer thread, so the queues always reflect every row
 * written before the claim.
 * <p>
 * A queue holds the first ready tasks up to a horizon: every task that sorts before the
 * last one fetched is in it, and a task saved later that sorts before it is added. Tasks
 * that were not ready when the queue was fetched make it stale from the earliest time one
 * of them becomes ready.
 */
final class ClaimQueues implements Journal.Sequencer {

	/** The tasks fetched at once. */
	private static final int FETCH = 256;

	/** A queue grown past this by saves drops its last tasks. */
	private static final int MAX_QUEUED = 4 * FETCH;

	private static final Set<String> CLAIMABLE = Set.of(TaskStatus.PENDING.value(), TaskStatus.RETRY.value());

	/** The order of {@code DuckDbSql}'s claims: time due, priority highest first, creation, id. */
	static final Comparator<TaskRow> CLAIM_ORDER = Comparator.comparing(ClaimQueues::due)
		.thenComparing(TaskRow::priority, Comparator.reverseOrder())
		.thenComparing(TaskRow::createdAt)
		.thenComparing(TaskRow::id, ClaimQueues::compareCodePoints);

	private final DuckDbSql sql;

	private final Map<String, Queue> queues = new HashMap<>();

	private final Map<String, Queue> queueOfTask = new HashMap<>();

	/** Tasks being deleted: kept out of the queues until the delete has committed. */
	private final Set<String> deleting = new HashSet<>();

	ClaimQueues(DuckDbSql sql) {
		this.sql = sql;
	}

	/**
	 * Return the first task of the category ready at the given time, without removing it:
	 * the row written for its claim does that.
	 * @param connection the writer's connection, to fetch the queue if needed
	 * @param groupRows rows written but not committed yet, which replace the committed
	 * state of their tasks
	 */
	synchronized @Nullable TaskRow next(String category, LocalDateTime now, Connection connection,
			Map<String, TaskRow> groupRows) throws SQLException {
		Queue queue = this.queues.get(category);
		if (queue == null || !queue.validAt(now)) {
			queue = fetch(category, now, connection, groupRows);
		}
		TaskRow next = queue.firstReadyAt(now);
		if (next == null && !queue.complete) {
			next = fetch(category, now, connection, groupRows).firstReadyAt(now);
		}
		return next;
	}

	@Override
	public synchronized void sequenced(TaskRow row) {
		Queue previous = this.queueOfTask.remove(row.id());
		if (previous != null) {
			previous.remove(row.id());
		}
		Queue queue = this.queues.get(row.category());
		if (queue != null && CLAIMABLE.contains(row.status()) && !this.deleting.contains(row.id())) {
			queue.offer(row);
		}
	}

	@Override
	public synchronized void discarded() {
		this.queues.clear();
		this.queueOfTask.clear();
	}

	/**
	 * Keep a task out of the queues while it is deleted.
	 */
	synchronized void deleting(String id) {
		this.deleting.add(id);
		Queue queue = this.queueOfTask.remove(id);
		if (queue != null) {
			queue.remove(id);
		}
	}

	/**
	 * The delete of a task has ended.
	 * @param committed whether it committed; if not, the task may be missing from a queue
	 */
	synchronized void deleted(String id, boolean committed) {
		this.deleting.remove(id);
		if (!committed) {
			discarded();
		}
	}

	private Queue fetch(String category, LocalDateTime now, Connection connection, Map<String, TaskRow> groupRows)
			throws SQLException {
		Queue stale = this.queues.remove(category);
		if (stale != null) {
			stale.tasks.forEach((task) -> this.queueOfTask.remove(task.id()));
		}
		List<TaskRow> rows;
		try (PreparedStatement statement = connection.prepareStatement(this.sql.claimCandidates)) {
			statement.setString(1, category);
			statement.setObject(2, now);
			statement.setObject(3, now);
			statement.setObject(4, now);
			statement.setInt(5, FETCH);
			try (ResultSet rs = statement.executeQuery()) {
				rows = TaskCodec.readRows(rs);
			}
		}
		LocalDateTime nextReady;
		try (PreparedStatement statement = connection.prepareStatement(this.sql.nextReadyTime)) {
			statement.setString(1, category);
			statement.setObject(2, now);
			statement.setObject(3, now);
			statement.setObject(4, now);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				nextReady = rs.getObject(1, LocalDateTime.class);
			}
		}
		boolean complete = rows.size() < FETCH;
		Queue queue = new Queue(now, nextReady, complete, complete ? null : rows.get(rows.size() - 1));
		this.queues.put(category, queue);
		for (TaskRow row : rows) {
			if (!groupRows.containsKey(row.id()) && !this.deleting.contains(row.id())) {
				queue.add(row);
			}
		}
		// The committed state does not hold the rows of the group being written yet
		groupRows.values().forEach(this::sequenced);
		return queue;
	}

	private static LocalDateTime due(TaskRow row) {
		if (row.nextAttemptAt() != null) {
			return row.nextAttemptAt();
		}
		return (row.notBefore() != null) ? row.notBefore() : row.createdAt();
	}

	/**
	 * Return when a row becomes ready, or {@code null} if it always was.
	 */
	private static @Nullable LocalDateTime readyAt(TaskRow row) {
		LocalDateTime latest = null;
		for (LocalDateTime time : new LocalDateTime[] { row.nextAttemptAt(), row.notBefore(), row.leaseExpiresAt() }) {
			if (time != null && (latest == null || time.isAfter(latest))) {
				latest = time;
			}
		}
		return latest;
	}

	/**
	 * Compare as DuckDB compares text: by the bytes of its UTF-8, which is the order of code
	 * points.
	 */
	private static int compareCodePoints(String first, String second) {
		int i = 0;
		int j = 0;
		while (i < first.length() && j < second.length()) {
			int a = first.codePointAt(i);
			int b = second.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Boolean.compare(i < first.length(), j < second.length());
	}

	/**
	 * The first ready tasks of one category.
	 */
	private final class Queue {

		private final TreeSet<TaskRow> tasks = new TreeSet<>(CLAIM_ORDER);

		private final Map<String, TaskRow> byId = new HashMap<>();

		/** The time the queue was fetched at: it holds the tasks ready then. */
		private final LocalDateTime fetchedAt;

		/** The earliest time a task not ready when fetched becomes ready. */
		private @Nullable LocalDateTime staleAt;

		/** Whether the queue holds every ready task of its category, not only the first. */
		private boolean complete;

		/** The last task fetched, unless the queue is complete. */
		private @Nullable TaskRow horizon;

		Queue(LocalDateTime fetchedAt, @Nullable LocalDateTime staleAt, boolean complete, @Nullable TaskRow horizon) {
			this.fetchedAt = fetchedAt;
			this.staleAt = staleAt;
			this.complete = complete;
			this.horizon = horizon;
		}

		/**
		 * Return whether the queue holds every task ready at the given time, up to its
		 * horizon. A task ready then was ready when fetched, or became ready since, which
		 * none does before the stale time.
		 */
		boolean validAt(LocalDateTime now) {
			return this.staleAt == null || now.isBefore(this.staleAt);
		}

		@Nullable TaskRow firstReadyAt(LocalDateTime now) {
			// A claim may come with a time a little before the fetch, from a clock read earlier
			for (TaskRow task : this.tasks) {
				LocalDateTime readyAt = readyAt(task);
				if (readyAt == null || !readyAt.isAfter(now)) {
					return task;
				}
			}
			return null;
		}

		void offer(TaskRow row) {
			LocalDateTime readyAt = readyAt(row);
			if (readyAt != null && readyAt.isAfter(this.fetchedAt)) {
				if (this.staleAt == null || readyAt.isBefore(this.staleAt)) {
					this.staleAt = readyAt;
				}
				return;
			}
			if (!this.complete && CLAIM_ORDER.compare(row, this.horizon) > 0) {
				return;
			}
			add(row);
			if (this.tasks.size() > MAX_QUEUED) {
				TaskRow last = this.tasks.pollLast();
				this.byId.remove(last.id());
				ClaimQueues.this.queueOfTask.remove(last.id());
				this.complete = false;
				this.horizon = this.tasks.last();
			}
		}

		void add(TaskRow row) {
			this.tasks.add(row);
			this.byId.put(row.id(), row);
			ClaimQueues.this.queueOfTask.put(row.id(), this);
		}

		void remove(String id) {
			TaskRow row = this.byId.remove(id);
			if (row != null) {
				this.tasks.remove(row);
			}
		}

	}

}
