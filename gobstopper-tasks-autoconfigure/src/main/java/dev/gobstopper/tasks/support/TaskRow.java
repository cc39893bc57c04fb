package dev.gobstopper.tasks.support;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A task as the values of its row: timestamps in UTC, JSON as text. Rows written by
 * Gobstopper's Python original may hold nulls where the stores write values.
 */
public record TaskRow(String id, String name, String category, int priority, String status, LocalDateTime createdAt,
		@Nullable LocalDateTime startedAt, @Nullable LocalDateTime completedAt, double elapsedSeconds,
		@Nullable String result, @Nullable String error, int retryCount, int maxRetries, @Nullable String args,
		@Nullable String kwargs, double progress, @Nullable String progressMessage, int attempt, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable LocalDateTime notBefore, @Nullable LocalDateTime nextAttemptAt,
		@Nullable String leaseOwner, @Nullable LocalDateTime leaseExpiresAt, @Nullable LocalDateTime claimedAt,
		@Nullable LocalDateTime lastHeartbeatAt) {

	/**
	 * The columns of the first Gobstopper table, in its order. Files of that time hold only
	 * these.
	 */
	public static final List<String> SEED_COLUMNS = List.of("id", "name", "category", "priority", "status",
			"created_at", "started_at", "completed_at", "elapsed_seconds", "result", "error", "retry_count",
			"max_retries", "args", "kwargs", "progress", "progress_message");

	/**
	 * The columns today's Gobstopper added for retries, idempotency and leases, in the order
	 * its migration adds them.
	 */
	public static final List<String> LEASE_COLUMNS = List.of("attempt", "max_attempts", "idempotency_key",
			"not_before", "next_attempt_at", "lease_owner", "lease_expires_at", "claimed_at", "last_heartbeat_at");

	/**
	 * Every column of a task row: the seed's, then the ones added since, which is the order
	 * of a table the stores create and of a seed-era table Gobstopper's migration extended.
	 */
	public static final List<String> COLUMNS = concat(SEED_COLUMNS, LEASE_COLUMNS);

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return List.copyOf(all);
	}

}
