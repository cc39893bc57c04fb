package dev.gobstopper.tasks;

import java.sql.SQLException;
import java.time.LocalDateTime;

import org.duckdb.DuckDBAppender;
import org.jspecify.annotations.Nullable;

/**
 * A task encoded as the values of its row: timestamps in UTC, JSON as text.
 */
record TaskRow(String id, String name, String category, int priority, String status, LocalDateTime createdAt,
		@Nullable LocalDateTime startedAt, @Nullable LocalDateTime completedAt, double elapsedSeconds, String result,
		@Nullable String error, int retryCount, int maxRetries, String args, String kwargs, double progress,
		String progressMessage) {

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
		appender.append(this.result);
		if (this.error != null) {
			appender.append(this.error);
		}
		else {
			appender.appendNull();
		}
		appender.append(this.retryCount);
		appender.append(this.maxRetries);
		appender.append(this.args);
		appender.append(this.kwargs);
		appender.append(this.progress);
		appender.append(this.progressMessage);
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

}
