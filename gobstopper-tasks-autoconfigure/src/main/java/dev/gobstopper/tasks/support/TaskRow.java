package dev.gobstopper.tasks.support;

import java.time.LocalDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A task as the values of its row: timestamps in UTC, JSON as text. Rows written by
 * Gobstopper's Python original may hold nulls where this storage writes values.
 */
public record TaskRow(String id, String name, String category, int priority, String status, LocalDateTime createdAt,
		@Nullable LocalDateTime startedAt, @Nullable LocalDateTime completedAt, double elapsedSeconds,
		@Nullable String result, @Nullable String error, int retryCount, int maxRetries, @Nullable String args,
		@Nullable String kwargs, double progress, @Nullable String progressMessage) {

	/** The columns of a task row, in the order Gobstopper's Python original defines them. */
	public static final List<String> COLUMNS = List.of("id", "name", "category", "priority", "status", "created_at",
			"started_at", "completed_at", "elapsed_seconds", "result", "error", "retry_count", "max_retries", "args",
			"kwargs", "progress", "progress_message");

}
