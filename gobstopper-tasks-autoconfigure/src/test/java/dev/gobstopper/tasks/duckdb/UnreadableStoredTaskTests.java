package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestTasks;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.gobstopper.tasks.TestTasks.fullTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A stored row that cannot be read as a task raises a {@link TaskStorageException} naming
 * the task and the column, and is never read as a wrong task.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnreadableStoredTaskTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorageWithAReadableTask() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
		this.storage.saveTask(fullTask("readable"));
		this.db.awaitJournalMerged();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	/**
	 * Insert a row with SQL, every column readable except those given, whose values are
	 * bound as text for DuckDB to cast, as it does for the original's inserts.
	 */
	private void insertRow(String id, Map<String, String> values) {
		Map<String, String> row = new LinkedHashMap<>();
		row.put("id", id);
		row.put("name", "send_email");
		row.put("category", "broken");
		row.put("priority", "2");
		row.put("status", "pending");
		row.put("created_at", "2024-05-01T10:15:30");
		row.put("elapsed_seconds", "0.0");
		row.put("result", "null");
		row.put("args", "[]");
		row.put("kwargs", "{}");
		row.putAll(values);
		this.db.execute("INSERT INTO tasks (" + String.join(", ", row.keySet()) + ") VALUES ("
				+ String.join(", ", Collections.nCopies(row.size(), "?")) + ")", row.values().toArray());
	}

	private void assertUnreadable(String id, String column) {
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTask(id))
			.withMessageContainingAll(id, column);
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTasks(null, null))
			.withMessageContainingAll(id, column);
		assertThatExceptionOfType(TaskStorageException.class)
			.isThrownBy(() -> this.storage.getTasks("broken", null, 10, 0))
			.withMessageContainingAll(id, column);
		assertThat(this.storage.getTask("readable")).contains(fullTask("readable"));
		assertThat(this.storage.getTasks("reports", null)).containsExactly(fullTask("readable"));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			status   | running
			status   | PENDING
			status   | ``
			priority | 9
			priority | 0
			priority | -1
			result   | [1, 2,]
			result   | nan
			args     | {"a": 1}
			args     | "text"
			args     | 7
			args     | [1, 2,]
			kwargs   | [1, 2]
			kwargs   | "text"
			kwargs   | {"a": 1,}
			kwargs   | inf
			""")
	void aRowWithAnUnreadableColumnIsRefusedNamingTheTaskAndTheColumn(String column, String sqlValue) {
		insertRow("bad-row", Map.of(column, sqlValue));
		assertUnreadable("bad-row", column);
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			name     | ``
			name     | `   `
			category | ``
			progress | 150
			progress | -1
			retry_count | -1
			max_retries | -2
			elapsed_seconds | -0.5
			""")
	void aRowWithAValueNoTaskCanHoldIsRefusedNamingTheTaskAndTheColumn(String column, String sqlValue) {
		insertRow("bad-row", Map.of(column, sqlValue));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTask("bad-row"))
			.withMessageContainingAll("bad-row", column);
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTasks(null, null))
			.withMessageContainingAll("bad-row", column);
		assertThat(this.storage.getTask("readable")).contains(fullTask("readable"));
	}

	@Test
	void jsonNestedDeeperThanTheLimitIsRefusedNamingTheTaskAndTheColumn() {
		int depth = TaskLimits.MAX_JSON_DEPTH + 10;
		String deep = "[".repeat(depth) + "]".repeat(depth);
		insertRow("deep", Map.of("result", deep));
		assertUnreadable("deep", "result");
	}

	@ParameterizedTest
	@CsvSource({ "result, 0", "args, 1", "kwargs, 2" })
	void malformedJsonTextIsRefusedNamingTheTaskAndTheColumn(String column, int malformed) throws SQLException {
		// DuckDB checks JSON text given in SQL, but its appender stores any text
		try (Connection connection = this.db.dataSource().getConnection();
				DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
					.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "tasks")) {
			String[] json = { "null", "[]", "{}" };
			json[malformed] = "{\"unterminated\": [1, 2";
			appender.beginRow();
			appender.append("malformed");
			appender.append("send_email");
			appender.append("broken");
			appender.append(2);
			appender.append("pending");
			appender.append(LocalDateTime.parse("2024-05-01T10:15:30"));
			appender.appendNull();
			appender.appendNull();
			appender.append(0.0);
			appender.append(json[0]);
			appender.appendNull();
			appender.append(0);
			appender.append(0);
			appender.append(json[1]);
			appender.append(json[2]);
			appender.append(0.0);
			appender.append("");
			appender.append(0);
			appender.append(1);
			for (int leaseColumn = 0; leaseColumn < 7; leaseColumn++) {
				appender.appendNull();
			}
			appender.endRow();
		}
		assertThat(this.db.strings("SELECT " + column + "::VARCHAR FROM tasks WHERE id = 'malformed'"))
			.containsExactly("{\"unterminated\": [1, 2");
		assertUnreadable("malformed", column);
	}

	@Test
	void aRowThatIsReadableAgainAfterRepairIsReadNormally() {
		insertRow("repaired", Map.of("status", "running"));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTask("repaired"));
		this.db.execute("UPDATE tasks SET status = 'started' WHERE id = 'repaired'");
		assertThat(this.storage.getTask("repaired")).hasValueSatisfying((task) -> {
			assertThat(task.status()).isEqualTo(TaskStatus.STARTED);
			assertThat(task.isRunning()).isTrue();
		});
		assertThat(this.storage.getTasks(null, null).stream().map(TaskInfo::id).collect(Collectors.toSet()))
			.containsExactlyInAnyOrder("readable", "repaired");
	}

}
