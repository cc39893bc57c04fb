package dev.gobstopper.tasks.duckdb;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.NameStatisticsRows;

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
				statistics.add(NameStatisticsRows.read(rs));
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

	private static double doubleOrZero(ResultSet rs, String column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? 0.0 : value;
	}

}
