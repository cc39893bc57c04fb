package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What callers pass reaches SQL only as bind parameters, stored JSON is read without
 * polymorphic typing, and error messages name ids, fields and limits but never a task's
 * payload.
 */
@Timeout(120)
class SecurityTests {

	private static final String SECRET = "users-private-data-5e1c";

	private static final AtomicBoolean CANARY_INITIALIZED = new AtomicBoolean();

	private static final List<String> INJECTIONS = List.of("x'; DELETE FROM tasks; --", "' OR '1'='1",
			"\"; DROP TABLE tasks; --", "'); UPDATE tasks SET status = 'failed'; --", "x' OR 'x'='x",
			"tasks_journal", "%", "_", "*", "1; CHECKPOINT", "\\'; DELETE FROM tasks_journal; --", "$$ DELETE $$",
			"'||(SELECT count(*) FROM tasks)||'");

	@TempDir
	Path dir;

	private DuckDbTaskStorage storage;

	private Connection connection;

	@BeforeEach
	void open() throws SQLException {
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + this.dir.resolve("security.duckdb"));
		this.storage = DuckDbTaskStorage.builder(dataSource).build();
		this.connection = dataSource.getConnection();
	}

	@AfterEach
	void close() throws SQLException {
		this.connection.close();
		this.storage.close();
	}

	@Test
	void sqlInIdsNamesCategoriesAndTextIsStoredAsTextAndChangesNoOtherRow() throws SQLException {
		List<TaskInfo> bystanders = List.of(task("report-1", "reports", TaskStatus.SUCCESS),
				task("report-2", "reports", TaskStatus.FAILED), task("mail-1", "emails", TaskStatus.PENDING));
		bystanders.forEach(this.storage::saveTask);
		Map<String, TaskInfo> hostile = new LinkedHashMap<>();
		for (String sql : INJECTIONS) {
			TaskInfo task = TaskInfo.builder()
				.id(sql)
				.name(sql)
				.category(sql)
				.status(TaskStatus.STARTED)
				.error(sql)
				.progressMessage(sql)
				.result(Map.of(sql, sql))
				.args(List.of(sql))
				.kwargs(Map.of(sql, List.of(sql)))
				.build();
			this.storage.saveTask(task);
			hostile.put(sql, task);
		}
		for (TaskInfo bystander : bystanders) {
			assertThat(this.storage.getTask(bystander.id())).contains(bystander);
		}
		for (TaskInfo task : hostile.values()) {
			assertThat(this.storage.getTask(task.id())).contains(task);
			assertThat(this.storage.getTasks(task.category(), null)).containsExactly(task);
			for (TaskStatus status : TaskStatus.values()) {
				assertThat(this.storage.getTasks(task.category(), status))
					.isEqualTo((status == TaskStatus.STARTED) ? List.of(task) : List.of());
			}
		}
		assertThat(this.storage.getTasks("%", null)).containsExactly(hostile.get("%"));
		assertThat(this.storage.getTask("' OR 1=1 --")).isEmpty();
		assertThat(this.storage.deleteTask("x' OR '1'='1")).isFalse();
		assertThat(this.storage.deleteTask("' OR '1'='1")).isTrue();
		assertThat(this.storage.deleteTask("x'; DELETE FROM tasks; --")).isTrue();
		assertThat(count("tasks") + count("tasks_journal"))
			.isEqualTo(bystanders.size() + INJECTIONS.size() - 2);
		List<TaskInfo> left = new ArrayList<>(bystanders);
		hostile.forEach((id, task) -> {
			if (!id.equals("' OR '1'='1") && !id.equals("x'; DELETE FROM tasks; --")) {
				left.add(task);
			}
		});
		assertThat(this.storage.getTasks(null, null, 1000, 0)).containsExactlyInAnyOrderElementsOf(left);
	}

	@Test
	void aTableNameThatIsNotAPlainIdentifierFailsStartupNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class))
			.withPropertyValues("gobstopper.tasks.db-path=" + this.dir.resolve("named.duckdb"),
					"gobstopper.tasks.table-name=tasks; DROP TABLE tasks")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("gobstopper.tasks.table-name")
					.hasMessageContaining("not a plain SQL identifier");
			});
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:")).tableName("x\"y"))
			.withMessageContaining("not a plain SQL identifier");
	}

	@Test
	void jsonWithTypeHintsReadsBackAsPlainListsAndMapsNeverInstantiatingTheClass() throws SQLException {
		String canary = Canary.class.getName();
		insertRow("typed", "[\"" + canary + "\", {\"name\": \"x\"}]", "[\"java.util.HashMap\", {\"a\": 1}]",
				"{\"@class\": \"" + canary + "\", \"name\": \"y\"}");
		TaskInfo typed = this.storage.getTask("typed").orElseThrow();
		assertThat(typed.result()).isEqualTo(List.of(canary, Map.of("name", "x")));
		assertThat(typed.args()).isEqualTo(List.of("java.util.HashMap", Map.of("a", 1)));
		assertThat(typed.kwargs()).isEqualTo(Map.of("@class", canary, "name", "y"));
		TaskInfo saved = task("typed-by-api", "typed", TaskStatus.SUCCESS).toBuilder()
			.result(List.of(canary, Map.of("name", "z")))
			.kwargs(Map.of("@class", canary, "@type", canary, "name", "z"))
			.build();
		this.storage.saveTask(saved);
		assertThat(this.storage.getTask(saved.id())).contains(saved);
		assertThat(CANARY_INITIALIZED).as("the class named in the JSON was initialized").isFalse();
	}

	@Test
	void refusingAValueJacksonCannotWriteDoesNotRepeatThePayload() {
		Map<String, Object> result = new HashMap<>();
		result.put("secret", SECRET);
		result.put(SECRET, new Object());
		TaskInfo task = secretTask("unwritable").toBuilder().result(result).build();
		Throwable refusal = catchThrowable(() -> this.storage.saveTask(task));
		assertThat(refusal).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'unwritable'");
		assertOurMessagesOmitTheSecret(refusal);
		assertThat(task.toString()).doesNotContain(SECRET);
	}

	@Test
	void refusingATooLargeTaskDoesNotRepeatThePayload() {
		TaskInfo task = secretTask("too-large").toBuilder()
			.result(SECRET + "x".repeat(TaskLimits.MAX_RECORD_LENGTH))
			.build();
		Throwable refusal = catchThrowable(() -> this.storage.saveTask(task));
		assertThat(refusal).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_RECORD_LENGTH");
		assertOurMessagesOmitTheSecret(refusal);
	}

	@Test
	void refusingToReadAStoredRowDoesNotRepeatThePayload() throws SQLException {
		insertRow("args-not-array", "null", "{\"secret\": \"" + SECRET + "\"}", "{}");
		insertRow("kwargs-not-object", "null", "[]", "[\"" + SECRET + "\"]");
		insertRow("too-deep", "[".repeat(300) + "\"" + SECRET + "\"" + "]".repeat(300), "[]", "{}");
		insertRow("too-long", "\"" + SECRET + "x".repeat(TaskLimits.MAX_RECORD_LENGTH) + "\"", "[]", "{}");
		insertRow("too-many-digits", "[\"" + SECRET + "\", 1" + "0".repeat(2000) + "]", "[]", "{}");
		insertRow("trailing-comma", "[\"" + SECRET + "\",]", "[]", "{}");
		for (String id : List.of("args-not-array", "kwargs-not-object", "too-deep", "too-long", "too-many-digits",
				"trailing-comma")) {
			Throwable refusal = catchThrowable(() -> this.storage.getTask(id));
			assertThat(refusal).isInstanceOf(TaskStorageException.class)
				.hasMessageStartingWith("Stored task '" + id + "' has an unreadable ");
			for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
				assertThat(cause.getMessage()).as("message of %s", cause.getClass().getName()).doesNotContain(SECRET);
			}
		}
	}

	/**
	 * Check the messages of the exception and of the causes our code created; the causes
	 * from Jackson are its own.
	 */
	private static void assertOurMessagesOmitTheSecret(Throwable refusal) {
		for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
			if (cause instanceof TaskStorageException || cause.getClass() == IllegalArgumentException.class
					|| cause.getClass() == IllegalStateException.class) {
				assertThat(cause.getMessage()).as("message of %s", cause.getClass().getName()).doesNotContain(SECRET);
			}
		}
	}

	private static TaskInfo task(String id, String category, TaskStatus status) {
		return TaskInfo.builder()
			.id(id)
			.name("security-test")
			.category(category)
			.status(status)
			.createdAt(Instant.parse("2025-02-03T04:05:06.123456Z"))
			.result(Map.of("id", id))
			.build();
	}

	private static TaskInfo secretTask(String id) {
		return task(id, "secrets", TaskStatus.FAILED).toBuilder()
			.result(Map.of("secret", SECRET))
			.error("failed for " + SECRET)
			.args(List.of(SECRET))
			.kwargs(Map.of("secret", SECRET))
			.build();
	}

	private void insertRow(String id, String result, String args, String kwargs) throws SQLException {
		try (PreparedStatement insert = this.connection.prepareStatement("""
				INSERT INTO tasks (id, name, category, priority, status, created_at, started_at, completed_at,
				    elapsed_seconds, result, error, retry_count, max_retries, args, kwargs, progress, progress_message)
				VALUES (?, 'raw', 'raw', 2, 'pending', TIMESTAMP '2025-01-01 00:00:00', NULL, NULL, 0.0, ?, ?, 0, 0,
				    ?, ?, 0.0, '')""")) {
			insert.setString(1, id);
			insert.setString(2, result);
			insert.setString(3, "failed for " + SECRET);
			insert.setString(4, args);
			insert.setString(5, kwargs);
			insert.executeUpdate();
		}
	}

	private long count(String table) throws SQLException {
		try (Statement statement = this.connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/**
	 * A class that records being initialized, which creating an instance would do: JSON
	 * naming it must not make the reader create one.
	 */
	static final class Canary {

		static {
			CANARY_INITIALIZED.set(true);
		}

		public String name;

	}

}
