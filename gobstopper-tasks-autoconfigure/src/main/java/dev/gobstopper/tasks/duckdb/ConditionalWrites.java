package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.support.TaskCodec;
import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * Writes that depend on what is stored: saving a task unless one like it is stored,
 * claiming the next task, renewing and reclaiming leases. Each is a
 * {@link Journal.Decision decision} of the journal's writer thread, which sees every row
 * written before it and lets nothing in between its read and its write, so concurrent
 * callers are served one after the other.
 */
final class ConditionalWrites {

	private static final String STARTED = TaskStatus.STARTED.value();

	/** Newest creation first, then by id, as {@code DuckDbSql.byIdempotencyKey} sorts. */
	private static final Comparator<TaskRow> NEWEST_FIRST = Comparator.comparing(TaskRow::createdAt)
		.reversed()
		.thenComparing(TaskRow::id);

	private static final Comparator<TaskRow> EXPIRY_ORDER = Comparator
		.comparing((TaskRow row) -> Objects.requireNonNull(row.leaseExpiresAt()))
		.thenComparing(TaskRow::id);

	private final Journal journal;

	private final RecentRows recent;

	private final DuckDbSql sql;

	private final ClaimQueues claims;

	ConditionalWrites(Journal journal, RecentRows recent, DuckDbSql sql, ClaimQueues claims) {
		this.journal = journal;
		this.recent = recent;
		this.sql = sql;
		this.claims = claims;
	}

	/**
	 * Write a row unless a task with its idempotency key, or without a key its id, is
	 * stored.
	 * @return the row given once it committed, or the stored row found
	 */
	TaskRow saveIfAbsent(TaskRow row) {
		String key = row.idempotencyKey();
		return this.journal.decide("Task '" + row.id() + "'", (connection, groupRows) -> {
			TaskRow stored = (key != null) ? newestWithKey(connection, groupRows, key)
					: current(connection, groupRows, row.id());
			return (stored != null) ? new Journal.Decided<>(List.of(), stored)
					: new Journal.Decided<>(List.of(row), row);
		});
	}

	/**
	 * Claim the first ready task of a category.
	 * @return the claimed row as written, or {@code null} if no task is ready
	 */
	@Nullable TaskRow claim(String category, String workerId, LocalDateTime now, LocalDateTime leaseExpiresAt) {
		return this.journal.<@Nullable TaskRow>decide("The claim of a task of '" + category + "'",
				(connection, groupRows) -> {
					TaskRow next = this.claims.next(category, now, connection, groupRows);
					if (next == null) {
						return new Journal.Decided<>(List.of(), null);
					}
					// Saturated: a count that cannot grow further still counts as many
					int attempt = Math.max(next.attempt(), next.attempt() + 1);
					TaskRow claimed = with(next, STARTED, now, attempt, null, workerId, leaseExpiresAt,
							(next.claimedAt() != null) ? next.claimedAt() : now, now);
					return new Journal.Decided<>(List.of(claimed), claimed);
				});
	}

	/**
	 * Renew a worker's lease of a started task.
	 * @return whether the lease was renewed
	 */
	boolean renew(String taskId, String workerId, LocalDateTime now, LocalDateTime leaseExpiresAt) {
		return this.journal.decide("The lease of task '" + taskId + "'", (connection, groupRows) -> {
			TaskRow task = current(connection, groupRows, taskId);
			if (task == null || !STARTED.equals(task.status()) || !workerId.equals(task.leaseOwner())) {
				return new Journal.Decided<>(List.of(), false);
			}
			TaskRow renewed = with(task, STARTED, task.startedAt(), task.attempt(), task.nextAttemptAt(), workerId,
					leaseExpiresAt, task.claimedAt(), now);
			return new Journal.Decided<>(List.of(renewed), true);
		});
	}

	/**
	 * Return started tasks whose lease expired before now to be claimed again.
	 * @return how many were reclaimed
	 */
	int reclaim(LocalDateTime now, int limit) {
		return this.journal.decide("Reclaiming expired leases", (connection, groupRows) -> {
			List<TaskRow> expired = new ArrayList<>();
			try (PreparedStatement statement = connection.prepareStatement(this.sql.expiredLeases)) {
				statement.setObject(1, now);
				statement.setLong(2, (long) limit + groupRows.size());
				try (ResultSet rs = statement.executeQuery()) {
					for (TaskRow row : TaskCodec.readRows(rs)) {
						if (!groupRows.containsKey(row.id())) {
							expired.add(row);
						}
					}
				}
			}
			for (TaskRow row : groupRows.values()) {
				if (STARTED.equals(row.status()) && row.leaseExpiresAt() != null && row.leaseExpiresAt().isBefore(now)) {
					expired.add(row);
				}
			}
			List<TaskRow> reclaimed = expired.stream()
				.sorted(EXPIRY_ORDER)
				.limit(limit)
				.map((row) -> with(row, TaskStatus.RETRY.value(), row.startedAt(), row.attempt(), now, null, null,
						row.claimedAt(), null))
				.toList();
			return new Journal.Decided<>(reclaimed, reclaimed.size());
		});
	}

	/**
	 * Return the latest state of a task: written in the group, or committed.
	 */
	private @Nullable TaskRow current(Connection connection, Map<String, TaskRow> groupRows, String id)
			throws SQLException {
		TaskRow written = groupRows.get(id);
		if (written != null) {
			return written;
		}
		TaskRow unmerged = this.recent.unmerged(id);
		if (unmerged != null) {
			return unmerged;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.sql.latestById)) {
			statement.setString(1, id);
			try (ResultSet rs = statement.executeQuery()) {
				return TaskCodec.readRows(rs).stream().findFirst().orElse(null);
			}
		}
	}

	private @Nullable TaskRow newestWithKey(Connection connection, Map<String, TaskRow> groupRows, String key)
			throws SQLException {
		List<TaskRow> found = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.sql.byIdempotencyKey)) {
			statement.setString(1, key);
			try (ResultSet rs = statement.executeQuery()) {
				for (TaskRow row : TaskCodec.readRows(rs)) {
					if (!groupRows.containsKey(row.id())) {
						found.add(row);
					}
				}
			}
		}
		for (TaskRow row : groupRows.values()) {
			if (key.equals(row.idempotencyKey())) {
				found.add(row);
			}
		}
		return found.stream().min(NEWEST_FIRST).orElse(null);
	}

	private static TaskRow with(TaskRow row, String status, @Nullable LocalDateTime startedAt, int attempt,
			@Nullable LocalDateTime nextAttemptAt, @Nullable String leaseOwner, @Nullable LocalDateTime leaseExpiresAt,
			@Nullable LocalDateTime claimedAt, @Nullable LocalDateTime lastHeartbeatAt) {
		return new TaskRow(row.id(), row.name(), row.category(), row.priority(), status, row.createdAt(), startedAt,
				row.completedAt(), row.elapsedSeconds(), row.result(), row.error(), row.retryCount(), row.maxRetries(),
				row.args(), row.kwargs(), row.progress(), row.progressMessage(), attempt, row.maxAttempts(),
				row.idempotencyKey(), row.notBefore(), nextAttemptAt, leaseOwner, leaseExpiresAt, claimedAt,
				lastHeartbeatAt);
	}

}
