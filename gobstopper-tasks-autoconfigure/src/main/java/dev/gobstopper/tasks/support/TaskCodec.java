package dev.gobstopper.tasks.support;

import java.io.IOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import org.jspecify.annotations.Nullable;

import org.springframework.lang.Contract;

/**
 * Turns tasks into rows and rows back into tasks.
 * <p>
 * The JSON columns are written and read with an {@link ObjectMapper} that belongs to the
 * storage, so an application's JSON settings cannot change what is stored. It has no
 * polymorphic typing, bounds nesting and size both ways, and writes {@code NaN} and
 * {@code Infinity} as Python's {@code json} module does, so such numbers survive a round
 * trip.
 */
public final class TaskCodec {

	private final ObjectMapper mapper;

	public TaskCodec() {
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(TaskLimits.MAX_JSON_DEPTH)
				.maxStringLength(TaskLimits.MAX_RECORD_LENGTH)
				.maxDocumentLength(TaskLimits.MAX_RECORD_LENGTH)
				.build())
			.streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(TaskLimits.MAX_JSON_DEPTH).build())
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
			.build();
		this.mapper = JsonMapper.builder(factory).build();
	}

	/**
	 * Encode a task as the values of a row.
	 * @param task the task
	 * @return the row
	 * @throws IllegalArgumentException if a JSON value cannot be written or the record is
	 * too large
	 */
	public TaskRow encode(TaskInfo task) {
		int budget = TaskLimits.MAX_RECORD_LENGTH - task.id().length() - task.name().length()
				- task.category().length() - task.progressMessage().length()
				- ((task.error() != null) ? task.error().length() : 0);
		String result = writeJson(task, "result", task.result(), budget);
		String args = writeJson(task, "args", task.args(), budget - result.length());
		String kwargs = writeJson(task, "kwargs", task.kwargs(), budget - result.length() - args.length());
		return new TaskRow(task.id(), task.name(), task.category(), task.priority().value(), task.status().value(),
				utc(task.createdAt()), utc(task.startedAt()), utc(task.completedAt()), task.elapsedSeconds(), result,
				task.error(), task.retryCount(), task.maxRetries(), args, kwargs, task.progress(),
				task.progressMessage(), task.attempt(), task.maxAttempts(), task.idempotencyKey(),
				utc(task.notBefore()), utc(task.nextAttemptAt()), task.leaseOwner(), utc(task.leaseExpiresAt()),
				utc(task.claimedAt()), utc(task.lastHeartbeatAt()));
	}

	private String writeJson(TaskInfo task, String field, @Nullable Object value, int budget) {
		if (budget < 0) {
			throw tooLarge(task);
		}
		BoundedWriter out = new BoundedWriter(budget);
		try {
			this.mapper.writeValue(out, value);
		}
		catch (BoundedWriter.LimitExceededException ex) {
			throw tooLarge(task);
		}
		catch (JsonProcessingException ex) {
			// Jackson's exception is left out: its reference chain names the keys of the value.
			throw new IllegalArgumentException(
					"Task '" + task.id() + "': " + field + " cannot be written as JSON: " + ex.getOriginalMessage());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return Text.requireWellFormed("Task '" + task.id() + "': " + field, out.toString());
	}

	private static IllegalArgumentException tooLarge(TaskInfo task) {
		return new IllegalArgumentException("Task '" + task.id() + "' is larger than the limit of "
				+ TaskLimits.MAX_RECORD_LENGTH + " characters of text and JSON (TaskLimits.MAX_RECORD_LENGTH)");
	}

	/**
	 * Read the rows of a result set, finding the columns by name. Timestamps are read as
	 * UTC {@link LocalDateTime}s.
	 * @param rs the result set, before its first row
	 * @return the rows
	 * @throws SQLException if the result set cannot be read
	 */
	public static List<TaskRow> readRows(ResultSet rs) throws SQLException {
		return readRows(rs, (results, column) -> results.getObject(column, LocalDateTime.class));
	}

	/**
	 * Read the rows of a result set, finding the columns by name.
	 * @param rs the result set, before its first row
	 * @param timestamps how the database's timestamps are read as UTC date-times
	 * @return the rows
	 * @throws SQLException if the result set cannot be read
	 */
	public static List<TaskRow> readRows(ResultSet rs, TimestampReader timestamps) throws SQLException {
		int[] at = columnIndexes(rs.getMetaData());
		List<TaskRow> rows = new ArrayList<>();
		while (rs.next()) {
			int maxRetries = rs.getInt(at[12]);
			rows.add(new TaskRow(rs.getString(at[0]), rs.getString(at[1]), rs.getString(at[2]), rs.getInt(at[3]),
					rs.getString(at[4]), timestamps.read(rs, at[5]), timestamps.read(rs, at[6]),
					timestamps.read(rs, at[7]), doubleOrZero(rs, at[8]), rs.getString(at[9]), rs.getString(at[10]),
					rs.getInt(at[11]), maxRetries, rs.getString(at[13]), rs.getString(at[14]), doubleOrZero(rs, at[15]),
					rs.getString(at[16]), intOr(rs, at[17], 0),
					// Gobstopper reads a missing max_attempts as the retries plus the first attempt
					intOr(rs, at[18], maxRetries + 1), rs.getString(at[19]), timestamps.read(rs, at[20]),
					timestamps.read(rs, at[21]), rs.getString(at[22]), timestamps.read(rs, at[23]),
					timestamps.read(rs, at[24]), timestamps.read(rs, at[25])));
		}
		return rows;
	}

	private static int intOr(ResultSet rs, int column, int ifNull) throws SQLException {
		int value = rs.getInt(column);
		return rs.wasNull() ? ifNull : value;
	}

	/**
	 * Read a DOUBLE column; the driver reads NULL, which the original may store, as NaN.
	 */
	private static double doubleOrZero(ResultSet rs, int column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? 0.0 : value;
	}

	private static int[] columnIndexes(ResultSetMetaData metaData) throws SQLException {
		Map<String, Integer> byName = new HashMap<>();
		for (int i = 1; i <= metaData.getColumnCount(); i++) {
			byName.put(metaData.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
		}
		int[] at = new int[TaskRow.COLUMNS.size()];
		for (int i = 0; i < at.length; i++) {
			Integer index = byName.get(TaskRow.COLUMNS.get(i));
			if (index == null) {
				throw new TaskStorageException("Task rows lack the column '" + TaskRow.COLUMNS.get(i) + "'");
			}
			at[i] = index;
		}
		return at;
	}

	/**
	 * Decode a row into a task.
	 * @param row the row
	 * @return the task
	 * @throws TaskStorageException if the row cannot be read as a task
	 */
	public TaskInfo decode(TaskRow row) {
		String id = row.id();
		try {
			return new TaskInfo(id, row.name(), row.category(),
					column(id, "priority", () -> TaskPriority.fromValue(row.priority())),
					column(id, "status", () -> TaskStatus.fromValue(row.status())), instant(row.createdAt()),
					instant(row.startedAt()), instant(row.completedAt()), row.elapsedSeconds(),
					column(id, "result", () -> readJson(row.result(), Object.class)), row.error(), row.retryCount(),
					row.maxRetries(), column(id, "args", () -> readArgs(row.args())),
					column(id, "kwargs", () -> readKwargs(row.kwargs())), row.progress(), row.progressMessage(),
					row.attempt(), row.maxAttempts(), row.idempotencyKey(), instant(row.notBefore()),
					instant(row.nextAttemptAt()), row.leaseOwner(), instant(row.leaseExpiresAt()),
					instant(row.claimedAt()), instant(row.lastHeartbeatAt()));
		}
		catch (TaskFieldException ex) {
			// Each field names its column in camel case
			String column = ex.field().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
			throw unreadable(id, column, ex.getMessage(), ex);
		}
		catch (IllegalArgumentException ex) {
			throw new TaskStorageException("Stored task '" + id + "' cannot be read: " + ex.getMessage(), ex);
		}
	}

	private <T> @Nullable T readJson(@Nullable String json, Class<T> type) throws JsonProcessingException {
		if (json == null) {
			return null;
		}
		if (json.length() > TaskLimits.MAX_RECORD_LENGTH) {
			throw new IllegalArgumentException("its JSON is " + json.length() + " characters long, more than the limit of "
					+ TaskLimits.MAX_RECORD_LENGTH);
		}
		return this.mapper.readValue(json, type);
	}

	@SuppressWarnings("unchecked")
	private List<@Nullable Object> readArgs(@Nullable String json) throws JsonProcessingException {
		Object value = readJson(json, Object.class);
		if (value != null && !(value instanceof List)) {
			throw new IllegalArgumentException("expected a JSON array");
		}
		return (List<@Nullable Object>) value;
	}

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> readKwargs(@Nullable String json) throws JsonProcessingException {
		Object value = readJson(json, Object.class);
		if (value != null && !(value instanceof Map)) {
			throw new IllegalArgumentException("expected a JSON object");
		}
		return (Map<String, @Nullable Object>) value;
	}

	private static <T> T column(String id, String column, ColumnReader<T> reader) {
		try {
			return reader.read();
		}
		catch (JsonProcessingException ex) {
			throw unreadable(id, column, ex.getOriginalMessage(), ex);
		}
		catch (IllegalArgumentException ex) {
			throw unreadable(id, column, ex.getMessage(), ex);
		}
	}

	private static TaskStorageException unreadable(String id, String column, @Nullable String reason,
			Exception cause) {
		return new TaskStorageException("Stored task '" + id + "' has an unreadable " + column + " column: " + reason,
				cause);
	}

	@Contract("!null -> !null")
	private static @Nullable LocalDateTime utc(@Nullable Instant instant) {
		return (instant != null) ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : null;
	}

	@Contract("!null -> !null")
	private static @Nullable Instant instant(@Nullable LocalDateTime utc) {
		return (utc != null) ? utc.toInstant(ZoneOffset.UTC) : null;
	}

	/**
	 * Reads a timestamp column as a UTC date-time.
	 */
	@FunctionalInterface
	public interface TimestampReader {

		@Nullable LocalDateTime read(ResultSet rs, int column) throws SQLException;

	}

	@FunctionalInterface
	private interface ColumnReader<T> {

		T read() throws JsonProcessingException;

	}

	/**
	 * A writer into memory that refuses to grow past a limit, so an oversized value fails
	 * early instead of filling the heap.
	 */
	private static final class BoundedWriter extends Writer {

		private final StringBuilder text = new StringBuilder();

		private final int limit;

		BoundedWriter(int limit) {
			this.limit = limit;
		}

		@Override
		public void write(char[] chars, int offset, int length) throws IOException {
			if (this.text.length() + length > this.limit) {
				throw new LimitExceededException();
			}
			this.text.append(chars, offset, length);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		@Override
		public String toString() {
			return this.text.toString();
		}

		static final class LimitExceededException extends IOException {

		}

	}

}
