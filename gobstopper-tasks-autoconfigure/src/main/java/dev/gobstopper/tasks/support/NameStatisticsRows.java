package dev.gobstopper.tasks.support;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.gobstopper.tasks.TaskNameStatistics;

/**
 * Reads a row of the statistics per task name that both stores' SQL returns, by column
 * name: {@code name}, {@code category}, the counts {@code total}, {@code succeeded},
 * {@code failed} and {@code cancelled}, the array {@code quantiles} (p50, p95, p99) and
 * {@code longest} in seconds, and the sum of retries {@code retries}. The ratios are
 * computed here, from exact counts and sums, so that the stores cannot disagree on them.
 */
public final class NameStatisticsRows {

	private NameStatisticsRows() {
	}

	/**
	 * Read the statistics of the row the result set is on.
	 * @param rs the result set
	 * @return the statistics
	 * @throws SQLException if a column cannot be read
	 */
	public static TaskNameStatistics read(ResultSet rs) throws SQLException {
		long total = rs.getLong("total");
		long succeeded = rs.getLong("succeeded");
		long failed = rs.getLong("failed");
		long cancelled = rs.getLong("cancelled");
		long finished = succeeded + failed + cancelled;
		Duration[] quantiles = quantiles(rs.getArray("quantiles"));
		return new TaskNameStatistics(rs.getString("name"), rs.getString("category"), total, succeeded, failed,
				cancelled, (finished > 0) ? (double) failed / finished : 0.0, quantiles[0], quantiles[1], quantiles[2],
				seconds(rs.getDouble("longest")), (double) rs.getLong("retries") / total);
	}

	/**
	 * Return the quantiles as durations, zero where the database gave none, as it does when
	 * no task finished.
	 */
	private static Duration[] quantiles(Array array) throws SQLException {
		Duration[] quantiles = { Duration.ZERO, Duration.ZERO, Duration.ZERO };
		if (array != null) {
			Object[] values = (Object[]) array.getArray();
			for (int i = 0; i < quantiles.length; i++) {
				if (values[i] != null) {
					quantiles[i] = seconds(((Number) values[i]).doubleValue());
				}
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

}
