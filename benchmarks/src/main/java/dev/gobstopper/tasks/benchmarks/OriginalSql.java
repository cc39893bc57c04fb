package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reads and the cleanup of Gobstopper's Python original, which the peer stores run as
 * they are.
 */
final class OriginalSql {

	static final String SELECT_BY_ID = "SELECT * FROM tasks WHERE id = ?";

	static final String DELETE_EXPIRED = "DELETE FROM tasks WHERE completed_at < ? AND status IN "
			+ TaskRows.TERMINAL_STATUSES;

	private OriginalSql() {
	}

	/**
	 * Run the original's page query: optional filters, newest first.
	 */
	static Optional<TaskInfo> task(JdbcTemplate jdbc, TaskRows rows, String id) {
		return jdbc.query(SELECT_BY_ID, rows.rowMapper(), id).stream().findFirst();
	}

	static int deleteExpired(JdbcTemplate jdbc, TaskRows rows, Duration retention) {
		Instant cutoff = Instant.now().minus(retention);
		return jdbc.update(DELETE_EXPIRED, (statement) -> rows.bindTimestamp(statement, 1, cutoff));
	}

	static List<TaskInfo> page(JdbcTemplate jdbc, TaskRows rows, @Nullable String category,
			@Nullable TaskStatus status, int limit, int offset) {
		StringBuilder query = new StringBuilder("SELECT * FROM tasks WHERE 1=1");
		List<Object> parameters = new ArrayList<>();
		if (category != null) {
			query.append(" AND category = ?");
			parameters.add(category);
		}
		if (status != null) {
			query.append(" AND status = ?");
			parameters.add(status.value());
		}
		query.append(" ORDER BY created_at DESC LIMIT ? OFFSET ?");
		parameters.add(limit);
		parameters.add(offset);
		return jdbc.query(query.toString(), rows.rowMapper(), parameters.toArray());
	}

}
