package dev.gobstopper.tasks;

import java.sql.SQLException;
import java.time.LocalDateTime;

import org.duckdb.DuckDBAppender;
import org.jspecify.annotations.Nullable;

/**
 * A task as the values of its row: timestamps in UTC, JSON as text. Rows written by
 * Gobstopper's Python original may hold nulls where this storage writes values.
 */
record TaskRow(String id, String name, String category, int priority, String status, LocalDateTime createdAt,
		@Nullable LocalDateTime startedAt, @Nullable LocalDateTime completedAt, double elapsedSeconds,
		@Nullable String result, @Nullable String error, int retryCount, int maxRetries, @Nullable String args,
		@Nullable String kwargs, double progress, @Nullable String progressMessage) {

	/**
	 * Append the row to the journal, after the given sequence number.
	 * @param appender an appender on the journal table
	 * @param seq the sequence number that orders saves of the same id
	 * @throws SQLException if the appender fails
	 */
	void appendTo(DuckDBAppender appender, long seq) throws SQLException {
		appender.beginRow();
		appender.append(seq);
		appender.append(this.id);
		appender.append(this.name);
		appender.append(this.category);
		appender.append(this.priority);
		appender.append(this.status);
		appender.append(this.createdAt);
		appendNullable(appender, this.startedAt);
		appendNullable(appender, this.completedAt);
		appender.append(this.elapsedSeconds);
		appendNullable(appender, this.result);
		appendNullable(appender, this.error);
		appender.append(this.retryCount);
		appender.append(this.maxRetries);
		appendNullable(appender, this.args);
		appendNullable(appender, this.kwargs);
		appender.append(this.progress);
		appendNullable(appender, this.progressMessage);
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

}
