package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.NEWEST_FIRST;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file created by Gobstopper's Python {@code TaskStorage}: its exact schema, with the
 * four secondary indexes, holding rows the way its Python code writes them. The default
 * time zone of the JVM is set away from UTC, so that a conversion through it would show.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PythonOriginalFileTests {

	private static final DateTimeFormatter ISO_FORMAT = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

	@TempDir
	Path dir;

	private TaskDatabase db;

	private TimeZone timeZone;

	private final List<DuckDbTaskStorage> storages = new ArrayList<>();

	/** Yesterday, as Python's {@code datetime.isoformat()} writes it. */
	private final String yesterday = LocalDateTime.now(ZoneOffset.UTC)
		.minusDays(1)
		.truncatedTo(ChronoUnit.MICROS)
		.format(ISO_FORMAT);

	@BeforeEach
	void createFileAsTheOriginalDoes() {
		this.timeZone = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
		this.db = TaskDatabase.in(this.dir);
		PythonOriginal.create(this.db, List.of(
				row("py-pending", "send_email", "email", 3, "pending", "2024-05-01T10:15:30.123456", null, null, 0.0,
						"null", null, 0, 3, "[\"user@example.com\"]", "{\"subject\": \"Welcome\"}", 0.0, ""),
				row("py-done", "process_data", "analytics", 2, "success", "2024-05-01T10:15:30",
						"2024-05-01T10:15:31.500000", "2024-05-01T10:15:33.000001", 2.500001,
						"{\"records_processed\": 1000, \"files\": [\"a.csv\"]}", null, 0, 0, "[1, \"a\"]", "{}", 100.0,
						"done"),
				row("py-failed", "charge_card", "billing", 4, "failed", "2020-01-01T00:00:00", "2020-01-01T00:00:01",
						"2020-01-01T00:05:00", 299.0, "null",
						"Traceback (most recent call last):\n  File \"x.py\"\nValueError: card \"declined\"", 3, 3,
						"[]", "{\"amount\": 12.5, \"currency\": \"EUR\"}", 40.0, "charging"),
				row("py-recent", "send_email", "email", 1, "cancelled", this.yesterday, null, this.yesterday, 0.0,
						"null", null, 0, 0, "[]", "{}", 0.0, ""),
				row("py-unicode", "r\u00e9sum\u00e9", "\u4e2d\u6587", 2, "started", "2024-05-02T08:00:00.5", "2024-05-02T08:00:01",
						null, 0.0, "\"\\u00e9t\\u00e9 \\ud83d\\ude00\"", null, 1, 5, "[null, true, 1.5]",
						"{\"k\": {\"nested\": [1, 2]}}", 12.5, "\u00e9tape 1/8")));
	}

	@AfterEach
	void closeAndRestoreTimeZone() {
		this.storages.forEach(DuckDbTaskStorage::close);
		TimeZone.setDefault(this.timeZone);
	}

	private DuckDbTaskStorage openStorage() {
		DuckDbTaskStorage storage = this.db.openStorage();
		this.storages.add(storage);
		return storage;
	}

	private static Object[] row(Object... values) {
		return values;
	}

	private static Instant utc(String isoLocal) {
		return LocalDateTime.parse(isoLocal).toInstant(ZoneOffset.UTC);
	}

	private List<TaskInfo> originalTasks() {
		return List.of(
				task("py-pending").name("send_email")
					.category("email")
					.priority(TaskPriority.HIGH)
					.status(TaskStatus.PENDING)
					.createdAt(utc("2024-05-01T10:15:30.123456"))
					.maxRetries(3)
					.args(List.of("user@example.com"))
					.kwargs(Map.of("subject", "Welcome"))
					.build(),
				task("py-done").name("process_data")
					.category("analytics")
					.priority(TaskPriority.NORMAL)
					.status(TaskStatus.SUCCESS)
					.createdAt(utc("2024-05-01T10:15:30"))
					.startedAt(utc("2024-05-01T10:15:31.5"))
					.completedAt(utc("2024-05-01T10:15:33.000001"))
					.elapsedSeconds(2.500001)
					.result(Map.of("records_processed", 1000, "files", List.of("a.csv")))
					.args(List.of(1, "a"))
					.progress(100)
					.progressMessage("done")
					.build(),
				task("py-failed").name("charge_card")
					.category("billing")
					.priority(TaskPriority.CRITICAL)
					.status(TaskStatus.FAILED)
					.createdAt(utc("2020-01-01T00:00:00"))
					.startedAt(utc("2020-01-01T00:00:01"))
					.completedAt(utc("2020-01-01T00:05:00"))
					.elapsedSeconds(299)
					.error("Traceback (most recent call last):\n  File \"x.py\"\nValueError: card \"declined\"")
					.retryCount(3)
					.maxRetries(3)
					.kwargs(Map.of("amount", 12.5, "currency", "EUR"))
					.progress(40)
					.progressMessage("charging")
					.build(),
				task("py-recent").name("send_email")
					.category("email")
					.priority(TaskPriority.LOW)
					.status(TaskStatus.CANCELLED)
					.createdAt(utc(this.yesterday))
					.completedAt(utc(this.yesterday))
					.build(),
				task("py-unicode").name("r\u00e9sum\u00e9")
					.category("\u4e2d\u6587")
					.priority(TaskPriority.NORMAL)
					.status(TaskStatus.STARTED)
					.createdAt(utc("2024-05-02T08:00:00.5"))
					.startedAt(utc("2024-05-02T08:00:01"))
					.result("\u00e9t\u00e9 \uD83D\uDE00")
					.retryCount(1)
					.maxRetries(5)
					.args(Arrays.asList(null, true, 1.5))
					.kwargs(Map.of("k", Map.of("nested", List.of(1, 2))))
					.progress(12.5)
					.progressMessage("\u00e9tape 1/8")
					.build());
	}

	private TaskInfo original(String id) {
		return originalTasks().stream().filter((task) -> task.id().equals(id)).findFirst().orElseThrow();
	}

	private List<String> schema() {
		return this.db.strings("SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' "
				+ "|| coalesce(column_default, '-') FROM information_schema.columns WHERE table_name = 'tasks' "
				+ "ORDER BY ordinal_position");
	}

	private List<String> indexes() {
		return this.db.strings("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'tasks' ORDER BY 1");
	}

	@Test
	void theStorageReadsEveryRowOfTheOriginal() {
		DuckDbTaskStorage storage = openStorage();
		for (TaskInfo task : originalTasks()) {
			assertThat(storage.getTask(task.id())).contains(task);
		}
		assertThat(storage.getTasks(null, null)).isEqualTo(originalTasks().stream().sorted(NEWEST_FIRST).toList());
		assertThat(storage.getTasks("email", TaskStatus.PENDING)).containsExactly(original("py-pending"));
	}

	@Test
	void timestampsWrittenAsIsoTextReadBackAsThoseUtcInstants() {
		DuckDbTaskStorage storage = openStorage();
		TaskInfo done = storage.getTask("py-done").orElseThrow();
		assertThat(done.createdAt()).isEqualTo(Instant.parse("2024-05-01T10:15:30Z"));
		assertThat(done.startedAt()).isEqualTo(Instant.parse("2024-05-01T10:15:31.500Z"));
		assertThat(done.completedAt()).isEqualTo(Instant.parse("2024-05-01T10:15:33.000001Z"));
		assertThat(storage.getTask("py-pending").orElseThrow().createdAt())
			.isEqualTo(Instant.parse("2024-05-01T10:15:30.123456Z"));
	}

	@Test
	void rowsWithNullInOptionalColumnsReadAsTheOriginalReadsThem() {
		this.db.execute(PythonOriginal.SAVE_TASK, "py-nulls", "send_email", "email", 2, "pending",
				"2024-05-01T10:15:30", null, null, null, null, null, null, null, null, null, null, null);
		DuckDbTaskStorage storage = openStorage();
		assertThat(storage.getTask("py-nulls")).contains(task("py-nulls").createdAt(utc("2024-05-01T10:15:30"))
			.build());
	}

	@Test
	void theStorageUpdatesRowsOfTheOriginalWhileItsIndexesAreInPlace() {
		DuckDbTaskStorage storage = openStorage();
		TaskInfo pending = original("py-pending");
		TaskInfo started = pending.toBuilder()
			.status(TaskStatus.STARTED)
			.startedAt(Instant.parse("2024-05-01T10:16:00Z"))
			.progress(10)
			.build();
		storage.saveTask(started);
		this.db.awaitJournalMerged();
		TaskInfo moved = started.toBuilder()
			.category("urgent-email")
			.priority(TaskPriority.CRITICAL)
			.createdAt(Instant.parse("2024-06-01T00:00:00Z"))
			.status(TaskStatus.SUCCESS)
			.completedAt(Instant.parse("2024-06-01T00:00:02.25Z"))
			.elapsedSeconds(2.25)
			.result(Map.of("sent", true))
			.progress(100)
			.progressMessage("sent")
			.build();
		storage.saveTask(moved);
		this.db.awaitJournalMerged();
		assertThat(storage.getTask("py-pending")).contains(moved);
		assertThat(storage.getTasks("urgent-email", TaskStatus.SUCCESS)).containsExactly(moved);
		assertThat(storage.getTasks("email", null)).extracting(TaskInfo::id).containsExactly("py-recent");
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE category = 'urgent-email'")).isEqualTo(1);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE priority = 4")).isEqualTo(2);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE status = 'pending'")).isZero();
		assertThat(this.db.taskRows()).isEqualTo(5);
		assertThat(indexes()).isEqualTo(PythonOriginal.INDEX_NAMES);
	}

	@Test
	void theStorageUpdatesEveryRowOfTheOriginalInOneBatchAndAgainTaskByTask() {
		DuckDbTaskStorage storage = openStorage();
		List<TaskInfo> updated = originalTasks().stream()
			.map((task) -> task.toBuilder()
				.status(TaskStatus.RETRY)
				.category(task.category() + "-retry")
				.priority(TaskPriority.LOW)
				.createdAt(task.createdAt().plusSeconds(1))
				.build())
			.toList();
		storage.saveTasks(updated);
		this.db.awaitJournalMerged();
		for (TaskInfo task : updated) {
			assertThat(storage.getTask(task.id())).contains(task);
		}
		List<TaskInfo> again = new ArrayList<>();
		for (TaskInfo task : updated) {
			TaskInfo next = task.toBuilder().status(TaskStatus.PENDING).category("again").build();
			storage.saveTask(next);
			again.add(next);
		}
		this.db.awaitJournalMerged();
		assertThat(storage.getTasks("again", TaskStatus.PENDING)).containsExactlyInAnyOrderElementsOf(again);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE category = 'again'")).isEqualTo(5);
		assertThat(indexes()).isEqualTo(PythonOriginal.INDEX_NAMES);
	}

	@Test
	void newTasksAreStoredBesideTheRowsOfTheOriginal() {
		DuckDbTaskStorage storage = openStorage();
		TaskInfo newest = task("java-new").category("email").createdAt(Instant.parse("2024-05-01T12:00:00Z")).build();
		TaskInfo between = task("java-between").category("email")
			.createdAt(Instant.parse("2024-05-01T10:15:30.123457Z"))
			.build();
		storage.saveTasks(List.of(newest, between));
		this.db.awaitJournalMerged();
		assertThat(storage.getTasks("email", null)).extracting(TaskInfo::id)
			.containsExactly("py-recent", "java-new", "java-between", "py-pending");
		assertThat(this.db.taskRows()).isEqualTo(7);
	}

	@Test
	void cleanupDeletesTheOldFinishedRowsOfTheOriginal() {
		DuckDbTaskStorage storage = openStorage();
		assertThat(storage.cleanupOldTasks(30, 0, 0)).isEqualTo(2);
		assertThat(storage.getTask("py-done")).isEmpty();
		assertThat(storage.getTask("py-failed")).isEmpty();
		assertThat(this.db.strings("SELECT id FROM tasks ORDER BY id")).containsExactly("py-pending", "py-recent",
				"py-unicode");
		assertThat(storage.cleanupOldTasks(Duration.ofHours(1))).isEqualTo(1);
		assertThat(this.db.strings("SELECT id FROM tasks ORDER BY id")).containsExactly("py-pending", "py-unicode");
		assertThat(indexes()).isEqualTo(PythonOriginal.INDEX_NAMES);
	}

	@Test
	void theSchemaAndIndexesOfTheOriginalStayAsTheyWereWithTodaysColumnsAddedAtTheEnd() {
		List<String> schema = schema();
		assertThat(schema).hasSize(17);
		assertThat(indexes()).isEqualTo(PythonOriginal.INDEX_NAMES);
		DuckDbTaskStorage storage = openStorage();
		storage.saveTask(task("java-1").build());
		storage.cleanupOldTasks(1, 0, 0);
		storage.deleteTask("py-pending");
		storage.close();
		this.storages.add(this.db.openStorage());
		assertThat(schema()).startsWith(schema.toArray(String[]::new))
			.endsWith("attempt INTEGER YES 0", "max_attempts INTEGER YES 1", "idempotency_key VARCHAR YES -",
					"not_before TIMESTAMP YES -", "next_attempt_at TIMESTAMP YES -", "lease_owner VARCHAR YES -",
					"lease_expires_at TIMESTAMP YES -", "claimed_at TIMESTAMP YES -",
					"last_heartbeat_at TIMESTAMP YES -")
			.hasSize(26);
		assertThat(indexes()).isEqualTo(PythonOriginal.INDEX_NAMES);
		assertThat(this.db.strings("SELECT table_name FROM duckdb_tables() ORDER BY 1")).containsExactly("tasks",
				"tasks_journal");
	}

	@Test
	void rowsTheStorageWritesHoldWhatTheOriginalReads() {
		DuckDbTaskStorage storage = openStorage();
		storage.saveTask(task("java-1").result(Map.of("a", 1)).args(List.of("x")).kwargs(Map.of("k", "v")).build());
		storage.saveTask(task("java-2").build());
		storage.saveTask(original("py-done").toBuilder().result(null).build());
		storage.close();
		// The original reads result with json.loads, args as a list and kwargs as a dict
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE json_valid(result) AND json_type(args) = 'ARRAY' "
				+ "AND json_type(kwargs) = 'OBJECT'")).isEqualTo(7);
		assertThat(this.db.strings("SELECT result FROM tasks WHERE id IN ('java-2', 'py-done') ORDER BY id"))
			.containsExactly("null", "null");
		assertThat(this.db.strings("SELECT json_extract(result, '$.a')::INTEGER FROM tasks WHERE id = 'java-1'"))
			.containsExactly("1");
		assertThat(this.db.strings("SELECT strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') FROM tasks "
				+ "WHERE id = 'py-done'")).containsExactly("2024-05-01T10:15:30.000000");
	}

}
