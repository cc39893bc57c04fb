package dev.gobstopper.tasks.duckdb;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TaskSummary;

/**
 * Reads the rows of the summary and statistics queries of {@link DuckDbSql}, by column
 * name.
 */
final class ReportRows {

	private ReportRows() {
	}

	static List<TaskSummary> read(PreparedStatement statement) throws SQLException {
		List<TaskSummary> summaries = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				String id = rs.getString("id");
				try {
					summaries.add(new TaskSummary(id, rs.getString("name"), rs.getString("category"),
							TaskPriority.fromValue(rs.getInt("priority")), status(rs.getString("status")),
							rs.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
							doubleOrZero(rs, "elapsed_seconds"), doubleOrZero(rs, "progress")));
				}
				catch (IllegalArgumentException ex) {
					throw new TaskStorageException("Stored task '" + id + "' cannot be read: " + ex.getMessage(), ex);
				}
			}
		}
		return summaries;
	}

	static List<TaskNameStatistics> readStatistics(PreparedStatement statement) throws SQLException {
		List<TaskNameStatistics> statistics = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				long succeeded = rs.getLong("succeeded");
				long failed = rs.getLong("failed");
				long cancelled = rs.getLong("cancelled");
				long finished = succeeded + failed + cancelled;
				Duration[] quantiles = quantiles(rs.getArray("quantiles"));
				long total = rs.getLong("total");
				// The mean from the exact sum: the same double as the PostgreSQL store's
				statistics.add(new TaskNameStatistics(rs.getString("name"), rs.getString("category"), total,
						succeeded, failed, cancelled, (finished > 0) ? (double) failed / finished : 0.0, quantiles[0],
						quantiles[1], quantiles[2], seconds(rs.getDouble("longest")),
						(double) rs.getLong("retries") / total));
			}
		}
		return statistics;
	}

	static TaskStatus status(String value) {
		try {
			return TaskStatus.fromValue(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TaskStorageException("A stored task has an unreadable status column: " + ex.getMessage(), ex);
		}
	}

	private static Duration[] quantiles(Array array) throws SQLException {
		Duration[] quantiles = { Duration.ZERO, Duration.ZERO, Duration.ZERO };
		if (array != null) {
			Object[] values = (Object[]) array.getArray();
			for (int i = 0; i < quantiles.length; i++) {
				quantiles[i] = seconds(((Number) values[i]).doubleValue());
			}
		}
		return quantiles;
	}

	/**
	 * Return seconds as a duration, to the microsecond.
	 */
	private static Duration seconds(double seconds) {
		return Duration.of(Math.round(seconds * 1_000_000), ChronoUnit.MICROS);
	}

	private static double doubleOrZero(ResultSet rs, String column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? 0.0 : value;
	}

}
