package dev.gobstopper.tasks.benchmarks;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of Gobstopper's Python original, which the peer stores run as they are: its
 * reads, its page query, its cleanup, its claim and its idempotency look-up. The
 * statistics, which the original does not have, are the plain SQL a user would write:
 * percentiles in SQL where the database has them, otherwise in Java over the fetched
 * durations.
 */
final class OriginalSql {

	private static final double[] QUANTILES = { 0.5, 0.95, 0.99 };

	private final String table;

	private final TaskRows rows;

	private final @Nullable String percentile;

	private final String completionBucket;

	private final String selectById;

	private final String deleteExpired;

	private final String deleteById;

	private final String selectByKey;

	private final String claimCandidate;

	private final String claimUpdate;

	private final String claimed;

	private final String statistics;

	private final String durations;

	/**
	 * Create the SQL for one table.
	 * @param table the table's name
	 * @param rows how the store binds and reads rows
	 * @param percentile the SQL of a continuous percentile of {@code elapsed_seconds}, with
	 * {@code %s} for the fraction, or {@code null} to compute percentiles in Java
	 * @param completionBucket the SQL of the bucket of {@code completed_at}: its seconds
	 * since the epoch divided by {@code %d} seconds, rounded down, as an integer
	 */
	OriginalSql(String table, TaskRows rows, @Nullable String percentile, String completionBucket) {
		this.table = table;
		this.rows = rows;
		this.percentile = percentile;
		this.completionBucket = completionBucket;
		this.selectById = "SELECT * FROM " + table + " WHERE id = ?";
		this.deleteById = "DELETE FROM " + table + " WHERE id = ?";
		this.deleteExpired = "DELETE FROM " + table + " WHERE completed_at < ? AND status IN "
				+ TaskRows.TERMINAL_STATUSES;
		this.selectByKey = "SELECT * FROM " + table + " WHERE idempotency_key = ? ORDER BY created_at DESC LIMIT 1";
		this.claimCandidate = """
				SELECT id FROM %s
				WHERE category = ?
				  AND status IN ('pending', 'retry')
				  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
				  AND (not_before IS NULL OR not_before <= ?)
				  AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
				ORDER BY COALESCE(next_attempt_at, not_before, created_at) ASC, priority DESC, created_at ASC
				LIMIT 1""".formatted(table);
		this.claimUpdate = """
				UPDATE %s
				SET status = 'started', attempt = COALESCE(attempt, 0) + 1, lease_owner = ?, lease_expires_at = ?,
				    claimed_at = COALESCE(claimed_at, ?), last_heartbeat_at = ?, started_at = ?, next_attempt_at = NULL
				WHERE id = ? AND status IN ('pending', 'retry')
				  AND (lease_expires_at IS NULL OR lease_expires_at <= ?)""".formatted(table);
		this.claimed = "SELECT * FROM " + table + " WHERE id = ? AND lease_owner = ?";
		String terminal = " FILTER (WHERE status IN " + TaskRows.TERMINAL_STATUSES + ")";
		StringBuilder statistics = new StringBuilder("SELECT name, category, count(*) AS total, "
				+ "count(*) FILTER (WHERE status = 'success') AS succeeded, "
				+ "count(*) FILTER (WHERE status = 'failed') AS failed, "
				+ "count(*) FILTER (WHERE status = 'cancelled') AS cancelled, ");
		if (percentile != null) {
			for (double quantile : QUANTILES) {
				statistics.append(percentile.formatted(quantile)).append(terminal);
				statistics.append(" AS ").append(column(quantile)).append(", ");
			}
		}
		statistics.append("max(elapsed_seconds)").append(terminal).append(" AS longest, ")
			.append("avg(retry_count) AS mean_retries FROM ").append(table)
			.append(" WHERE created_at >= ? GROUP BY name, category ORDER BY total DESC, name, category");
		this.statistics = statistics.toString();
		this.durations = "SELECT name, category, elapsed_seconds FROM " + table
				+ " WHERE created_at >= ? AND status IN " + TaskRows.TERMINAL_STATUSES;
	}

	Optional<TaskInfo> task(JdbcTemplate jdbc, String id) {
		return jdbc.query(this.selectById, this.rows.rowMapper(), id).stream().findFirst();
	}

	boolean delete(JdbcTemplate jdbc, String id) {
		return jdbc.update(this.deleteById, id) > 0;
	}

	int deleteExpired(JdbcTemplate jdbc, Duration retention) {
		Instant cutoff = Instant.now().minus(retention);
		return jdbc.update(this.deleteExpired, (statement) -> this.rows.bindTimestamp(statement, 1, cutoff));
	}

	/**
	 * Run the original's page query: optional filters, newest first.
	 */
	List<TaskInfo> page(JdbcTemplate jdbc, @Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		List<Object> parameters = new ArrayList<>();
		String query = pageQuery("*", category, status, limit, offset, parameters);
		return jdbc.query(query, this.rows.rowMapper(), parameters.toArray());
	}

	/**
	 * Run the page query for the columns of a summary only.
	 */
	List<TaskSummary> summaries(JdbcTemplate jdbc, @Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		List<Object> parameters = new ArrayList<>();
		String query = pageQuery(TaskRows.SUMMARY_COLUMNS, category, status, limit, offset, parameters);
		return jdbc.query(query, this.rows.summaryMapper(), parameters.toArray());
	}

	private String pageQuery(String columns, @Nullable String category, @Nullable TaskStatus status, int limit,
			int offset, List<Object> parameters) {
		StringBuilder query = new StringBuilder("SELECT " + columns + " FROM " + this.table + " WHERE 1=1");
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
		return query.toString();
	}

	/**
	 * Return the newest task with the key, as the original looks one up before adding a
	 * task with an idempotency key.
	 */
	Optional<TaskInfo> taskByIdempotencyKey(JdbcTemplate jdbc, String key) {
		return jdbc.query(this.selectByKey, this.rows.rowMapper(), key).stream().findFirst();
	}

	/**
	 * Claim as the original does, in one transaction: select the first ready task, update
	 * it unless another claimer has, then read it back if the update was this claimer's.
	 * A claimer that loses the race gets nothing.
	 */
	Optional<TaskInfo> claim(JdbcTemplate jdbc, TransactionTemplate transaction, String category, String workerId,
			Duration lease) {
		return transaction.execute((status) -> {
			Instant now = Instant.now();
			Instant expires = now.plus(lease);
			List<String> ids = jdbc.query(this.claimCandidate, (statement) -> {
				statement.setString(1, category);
				for (int i = 2; i <= 4; i++) {
					this.rows.bindTimestamp(statement, i, now);
				}
			}, (rs, rowNum) -> rs.getString(1));
			if (ids.isEmpty()) {
				return Optional.empty();
			}
			String id = ids.get(0);
			jdbc.update(this.claimUpdate, (statement) -> {
				statement.setString(1, workerId);
				this.rows.bindTimestamp(statement, 2, expires);
				for (int i = 3; i <= 5; i++) {
					this.rows.bindTimestamp(statement, i, now);
				}
				statement.setString(6, id);
				this.rows.bindTimestamp(statement, 7, now);
			});
			return jdbc.query(this.claimed, this.rows.rowMapper(), id, workerId).stream().findFirst();
		});
	}

	TaskCounts counts(JdbcTemplate jdbc, @Nullable String category) {
		String query = "SELECT status, count(*) FROM " + this.table
				+ ((category != null) ? " WHERE category = ?" : "") + " GROUP BY status";
		Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
		jdbc.query(query, (rs) -> {
			byStatus.put(TaskStatus.fromValue(rs.getString(1)), rs.getLong(2));
		}, (category != null) ? new Object[] { category } : new Object[0]);
		return new TaskCounts(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus);
	}

	List<TaskNameStatistics> statistics(JdbcTemplate jdbc, Instant since) {
		Map<NameAndCategory, double[]> durations = (this.percentile != null) ? Map.of()
				: sortedDurations(jdbc, since);
		return jdbc.query(this.statistics, (statement) -> this.rows.bindTimestamp(statement, 1, since),
				(rs, rowNum) -> {
					String name = rs.getString("name");
					String category = rs.getString("category");
					long succeeded = rs.getLong("succeeded");
					long failed = rs.getLong("failed");
					long cancelled = rs.getLong("cancelled");
					long finished = succeeded + failed + cancelled;
					double[] quantiles = (this.percentile != null) ? quantileColumns(rs)
							: quantiles(durations.getOrDefault(new NameAndCategory(name, category), new double[0]));
					return new TaskNameStatistics(name, category, rs.getLong("total"), succeeded, failed, cancelled,
							(finished > 0) ? (double) failed / finished : 0.0, seconds(quantiles[0]),
							seconds(quantiles[1]), seconds(quantiles[2]), seconds(rs.getDouble("longest")),
							rs.getDouble("mean_retries"));
				});
	}

	/**
	 * Fetch the durations of the finished tasks, and sort them per name and category.
	 */
	private Map<NameAndCategory, double[]> sortedDurations(JdbcTemplate jdbc, Instant since) {
		Map<NameAndCategory, Durations> byName = new HashMap<>();
		jdbc.query(this.durations, (PreparedStatement statement) -> this.rows.bindTimestamp(statement, 1, since),
				(ResultSet rs) -> {
					byName.computeIfAbsent(new NameAndCategory(rs.getString(1), rs.getString(2)),
							(key) -> new Durations())
						.add(rs.getDouble(3));
				});
		Map<NameAndCategory, double[]> sorted = new HashMap<>();
		byName.forEach((key, values) -> {
			double[] array = Arrays.copyOf(values.values, values.size);
			Arrays.sort(array);
			sorted.put(key, array);
		});
		return sorted;
	}

	private static double[] quantileColumns(ResultSet rs) throws SQLException {
		double[] quantiles = new double[QUANTILES.length];
		for (int i = 0; i < QUANTILES.length; i++) {
			quantiles[i] = rs.getDouble(column(QUANTILES[i]));
		}
		return quantiles;
	}

	/**
	 * Return the continuous quantiles of sorted values, interpolating between neighbours
	 * as {@code percentile_cont} does.
	 */
	private static double[] quantiles(double[] sorted) {
		double[] quantiles = new double[QUANTILES.length];
		if (sorted.length == 0) {
			return quantiles;
		}
		for (int i = 0; i < QUANTILES.length; i++) {
			double position = QUANTILES[i] * (sorted.length - 1);
			int lower = (int) Math.floor(position);
			int upper = Math.min(lower + 1, sorted.length - 1);
			quantiles[i] = sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
		}
		return quantiles;
	}

	private static String column(double quantile) {
		return "p" + Math.round(quantile * 100);
	}

	private static Duration seconds(double seconds) {
		return Duration.ofNanos(Math.round(seconds * 1_000_000) * 1_000);
	}

	/**
	 * Count the finished tasks per bucket of completion time, from the bucket of
	 * {@code since} to the bucket of now, empty buckets included.
	 */
	List<TaskCompletionBucket> completions(JdbcTemplate jdbc, Instant since, Duration bucket) {
		long bucketSeconds = bucket.toSeconds();
		long first = Math.floorDiv(since.getEpochSecond(), bucketSeconds);
		long last = Math.floorDiv(Instant.now().getEpochSecond(), bucketSeconds);
		Instant end = Instant.ofEpochSecond((last + 1) * bucketSeconds);
		String query = "SELECT " + this.completionBucket.formatted(bucketSeconds) + " AS bucket, "
				+ "count(*) FILTER (WHERE status = 'success'), count(*) FILTER (WHERE status = 'failed'), "
				+ "count(*) FILTER (WHERE status = 'cancelled') FROM " + this.table
				+ " WHERE completed_at >= ? AND completed_at < ? AND status IN " + TaskRows.TERMINAL_STATUSES
				+ " GROUP BY bucket";
		Map<Long, long[]> counts = new HashMap<>();
		jdbc.query(query, (PreparedStatement statement) -> {
			this.rows.bindTimestamp(statement, 1, since);
			this.rows.bindTimestamp(statement, 2, end);
		}, (ResultSet rs) -> {
			counts.put(rs.getLong(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4) });
		});
		List<TaskCompletionBucket> buckets = new ArrayList<>();
		for (long index = first; index <= last; index++) {
			long[] count = counts.getOrDefault(index, new long[3]);
			buckets.add(new TaskCompletionBucket(Instant.ofEpochSecond(index * bucketSeconds), count[0], count[1],
					count[2]));
		}
		return buckets;
	}

	private record NameAndCategory(String name, String category) {

	}

	/**
	 * A growing array of durations.
	 */
	private static final class Durations {

		private double[] values = new double[64];

		private int size;

		void add(double value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

	}

}
