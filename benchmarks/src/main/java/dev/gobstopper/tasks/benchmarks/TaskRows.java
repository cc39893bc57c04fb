package dev.gobstopper.tasks.benchmarks;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * How the peer stores turn a task into statement parameters and a row back into a task:
 * the same columns as the task storage, JSON written and read with Jackson, so every store
 * does the same work per task.
 */
final class TaskRows {

	/** The columns of the task table: the first Gobstopper table's, then those it added for leases. */
	static final List<String> COLUMNS = TaskRow.COLUMNS;

	static final String COLUMN_LIST = String.join(", ", COLUMNS);

	/** The columns of a {@link TaskSummary}. */
	static final String SUMMARY_COLUMNS = "id, name, category, priority, status, created_at, elapsed_seconds, progress";

	static final String TERMINAL_STATUSES = "('success', 'failed', 'cancelled')";

	private static final int[] JSON_COLUMNS = { 10, 14, 15 };

	private final ObjectMapper mapper = JsonMapper.builder().build();

	private final Timestamps timestamps;

	private final RowMapper<TaskInfo> rowMapper = this::read;

	private final RowMapper<TaskSummary> summaryMapper = this::readSummary;

	TaskRows(Timestamps timestamps) {
		this.timestamps = timestamps;
	}

	/**
	 * Return the placeholders of an insert of all columns.
	 * @param jsonPlaceholder the placeholder of a JSON column, {@code ?} unless the
	 * database needs to be told that the text is JSON
	 */
	static String placeholders(String jsonPlaceholder) {
		StringBuilder placeholders = new StringBuilder();
		for (int i = 1; i <= COLUMNS.size(); i++) {
			if (i > 1) {
				placeholders.append(", ");
			}
			boolean json = false;
			for (int column : JSON_COLUMNS) {
				json |= column == i;
			}
			placeholders.append(json ? jsonPlaceholder : "?");
		}
		return placeholders.toString();
	}

	/**
	 * Bind the task's values to the first 26 parameters, in column order.
	 */
	void bind(PreparedStatement statement, TaskInfo task) throws SQLException {
		statement.setString(1, task.id());
		statement.setString(2, task.name());
		statement.setString(3, task.category());
		statement.setInt(4, task.priority().value());
		statement.setString(5, task.status().value());
		this.timestamps.bind(statement, 6, task.createdAt());
		this.timestamps.bind(statement, 7, task.startedAt());
		this.timestamps.bind(statement, 8, task.completedAt());
		statement.setDouble(9, task.elapsedSeconds());
		statement.setString(10, json(task.result()));
		bindText(statement, 11, task.error());
		statement.setInt(12, task.retryCount());
		statement.setInt(13, task.maxRetries());
		statement.setString(14, json(task.args()));
		statement.setString(15, json(task.kwargs()));
		statement.setDouble(16, task.progress());
		statement.setString(17, task.progressMessage());
		statement.setInt(18, task.attempt());
		statement.setInt(19, task.maxAttempts());
		bindText(statement, 20, task.idempotencyKey());
		this.timestamps.bind(statement, 21, task.notBefore());
		this.timestamps.bind(statement, 22, task.nextAttemptAt());
		bindText(statement, 23, task.leaseOwner());
		this.timestamps.bind(statement, 24, task.leaseExpiresAt());
		this.timestamps.bind(statement, 25, task.claimedAt());
		this.timestamps.bind(statement, 26, task.lastHeartbeatAt());
	}

	private static void bindText(PreparedStatement statement, int index, @Nullable String text) throws SQLException {
		if (text != null) {
			statement.setString(index, text);
		}
		else {
			statement.setNull(index, Types.VARCHAR);
		}
	}

	/**
	 * Bind a cutoff time the way this store keeps timestamps.
	 */
	void bindTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
		this.timestamps.bind(statement, index, instant);
	}

	RowMapper<TaskInfo> rowMapper() {
		return this.rowMapper;
	}

	RowMapper<TaskSummary> summaryMapper() {
		return this.summaryMapper;
	}

	private TaskInfo read(ResultSet rs, int rowNum) throws SQLException {
		return new TaskInfo(rs.getString("id"), rs.getString("name"), rs.getString("category"),
				TaskPriority.fromValue(rs.getInt("priority")), TaskStatus.fromValue(rs.getString("status")),
				this.timestamps.read(rs, "created_at"), this.timestamps.read(rs, "started_at"),
				this.timestamps.read(rs, "completed_at"), rs.getDouble("elapsed_seconds"),
				parse(rs.getString("result"), Object.class), rs.getString("error"), rs.getInt("retry_count"),
				rs.getInt("max_retries"), argsOf(rs.getString("args")), kwargsOf(rs.getString("kwargs")),
				rs.getDouble("progress"), rs.getString("progress_message"), rs.getInt("attempt"),
				rs.getInt("max_attempts"), rs.getString("idempotency_key"), this.timestamps.read(rs, "not_before"),
				this.timestamps.read(rs, "next_attempt_at"), rs.getString("lease_owner"),
				this.timestamps.read(rs, "lease_expires_at"), this.timestamps.read(rs, "claimed_at"),
				this.timestamps.read(rs, "last_heartbeat_at"));
	}

	private TaskSummary readSummary(ResultSet rs, int rowNum) throws SQLException {
		return new TaskSummary(rs.getString("id"), rs.getString("name"), rs.getString("category"),
				TaskPriority.fromValue(rs.getInt("priority")), TaskStatus.fromValue(rs.getString("status")),
				this.timestamps.read(rs, "created_at"), rs.getDouble("elapsed_seconds"), rs.getDouble("progress"));
	}

	/**
	 * Return the value as JSON text, as every store keeps it.
	 */
	String json(@Nullable Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("Value cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private <T> @Nullable T parse(@Nullable String json, Class<T> type) {
		if (json == null) {
			return null;
		}
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Stored JSON cannot be read: " + ex.getOriginalMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private List<@Nullable Object> argsOf(@Nullable String json) {
		List<@Nullable Object> args = parse(json, List.class);
		return (args != null) ? args : Collections.emptyList();
	}

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> kwargsOf(@Nullable String json) {
		Map<String, @Nullable Object> kwargs = parse(json, Map.class);
		return (kwargs != null) ? kwargs : Collections.emptyMap();
	}

	/**
	 * How a database keeps timestamps: as a TIMESTAMP read and written as a UTC
	 * {@link LocalDateTime}, as a TIMESTAMPTZ read and written as a UTC
	 * {@link OffsetDateTime}, or as sortable UTC text where the database has no timestamp
	 * type.
	 */
	enum Timestamps {

		LOCAL_DATE_TIME {

			@Override
			void bind(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
				if (instant != null) {
					statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
				}
				else {
					statement.setNull(index, Types.TIMESTAMP);
				}
			}

			@Override
			@Nullable Instant read(ResultSet rs, String column) throws SQLException {
				LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
				return (utc != null) ? utc.toInstant(ZoneOffset.UTC) : null;
			}

		},

		OFFSET_DATE_TIME {

			@Override
			void bind(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
				if (instant != null) {
					statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
				}
				else {
					statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
				}
			}

			@Override
			@Nullable Instant read(ResultSet rs, String column) throws SQLException {
				OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
				return (time != null) ? time.toInstant() : null;
			}

		},

		TEXT {

			@Override
			void bind(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
				if (instant != null) {
					statement.setString(index, TEXT_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
				}
				else {
					statement.setNull(index, Types.VARCHAR);
				}
			}

			@Override
			@Nullable Instant read(ResultSet rs, String column) throws SQLException {
				String text = rs.getString(column);
				return (text != null) ? LocalDateTime.parse(text, TEXT_FORMAT).toInstant(ZoneOffset.UTC) : null;
			}

		};

		/** Fixed width, so that text order is time order. */
		private static final DateTimeFormatter TEXT_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

		abstract void bind(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException;

		abstract @Nullable Instant read(ResultSet rs, String column) throws SQLException;

	}

}
