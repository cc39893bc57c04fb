package dev.gobstopper.tasks.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Values that PostgreSQL stores differently from DuckDB: JSON without NaN or Infinity,
 * text columns without NUL, and instants whatever the time zones of the JVM and the
 * server.
 */
class JdbcTaskStorageValuesTests {

	@RegisterExtension
	final TestDatabase db = new TestDatabase();

	static Stream<Arguments> nonFiniteJson() {
		return Stream.of(Arguments.of("result", builder((b) -> b.result(Double.NaN))),
				Arguments.of("result", builder((b) -> b.result(Map.of("rows", List.of(1, Double.POSITIVE_INFINITY))))),
				Arguments.of("args", builder((b) -> b.args(List.of("x", Float.NEGATIVE_INFINITY)))),
				Arguments.of("kwargs", builder((b) -> b.kwargs(Map.of("deep", Map.of("deeper", List.of(Double.NaN)))))),
				Arguments.of("kwargs", builder((b) -> b.kwargs(Map.of("ratio", Float.NaN)))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("nonFiniteJson")
	void nanAndInfinityAnywhereInTheJsonAreRefusedNamingTheTaskAndTheField(String field,
			Function<TaskInfo.Builder, TaskInfo.Builder> change) {
		TaskInfo task = change.apply(TestTasks.fullTask("not-finite").toBuilder()).build();
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThatIllegalArgumentException().isThrownBy(() -> storage.saveTask(task))
				.withMessage("Task 'not-finite': " + field
						+ " contains NaN or Infinity, which PostgreSQL's JSON types cannot store");
			assertThatIllegalArgumentException().isThrownBy(() -> storage.saveTaskIfAbsent(task))
				.withMessageContaining(field + " contains NaN or Infinity");
			assertThat(storage.getTask("not-finite")).isEmpty();
		}
	}

	@Test
	void textThatMerelyLooksLikeNanIsStored() {
		TaskInfo task = TestTasks.fullTask("nan-text")
			.toBuilder()
			.result(Map.of("NaN", "Infinity", "note", "\"NaN\" \\ Infinity"))
			.args(Arrays.asList("-Infinity", null, 2.5, -0.25))
			.build();
		try (JdbcTaskStorage storage = this.db.open()) {
			storage.saveTask(task);
			assertThat(storage.getTask("nan-text")).contains(task);
		}
	}

	@Test
	void aBatchHoldingOneNonFiniteNumberIsRefusedWhole() {
		List<TaskInfo> batch = List.of(TestTasks.fullTask("first"),
				TestTasks.fullTask("second").toBuilder().result(List.of(Double.NaN)).build(),
				TestTasks.fullTask("third"));
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThatIllegalArgumentException().isThrownBy(() -> storage.saveTasks(batch))
				.withMessageContaining("Task 'second': result contains NaN or Infinity");
			assertThat(storage.getTasks(null, null)).isEmpty();
		}
	}

	static Stream<Arguments> nulCharacters() {
		return Stream.of(Arguments.of("name", builder((b) -> b.name("a\0b"))),
				Arguments.of("category", builder((b) -> b.category("\0"))),
				Arguments.of("error", builder((b) -> b.error("failed\0"))),
				Arguments.of("progressMessage", builder((b) -> b.progressMessage("\0 of 5"))),
				Arguments.of("idempotencyKey", builder((b) -> b.idempotencyKey("key\0"))),
				Arguments.of("leaseOwner", builder((b) -> b.leaseOwner("worker\0"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("nulCharacters")
	void theNulCharacterIsRefusedNamingTheTaskAndTheField(String field,
			Function<TaskInfo.Builder, TaskInfo.Builder> change) {
		TaskInfo task = change.apply(TestTasks.fullTask("nul").toBuilder()).build();
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThatIllegalArgumentException().isThrownBy(() -> storage.saveTask(task))
				.withMessageStartingWith("Task 'nul': " + field + " contains the NUL character");
			assertThatIllegalArgumentException().isThrownBy(() -> storage.saveTasks(List.of(task)))
				.withMessageStartingWith("Task 'nul': " + field + " contains the NUL character");
			assertThat(storage.getTask("nul")).isEmpty();
		}
	}

	@Test
	void aWorkerIdWithTheNulCharacterIsRefusedNamingItAndClaimsNothing() {
		try (JdbcTaskStorage storage = this.db.open()) {
			storage.saveTask(TestTasks.task("t").category("work").build());
			assertThatIllegalArgumentException()
				.isThrownBy(() -> storage.claimNext("work", "worker\0", Duration.ofMinutes(1)))
				.withMessageStartingWith("workerId contains the NUL character");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> storage.renewLease("t", "worker\0", Duration.ofMinutes(1)))
				.withMessageStartingWith("workerId contains the NUL character");
			assertThat(storage.getTask("t").orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
		}
	}

	@Test
	void theNulCharacterInJsonIsStoredAsItsEscape() {
		TaskInfo task = TestTasks.fullTask("json-nul").toBuilder().result(Map.of("key\0", "a\0b")).build();
		try (JdbcTaskStorage storage = this.db.open()) {
			storage.saveTask(task);
			assertThat(storage.getTask("json-nul")).contains(task);
		}
	}

	@ParameterizedTest(name = "{0} tasks")
	@ValueSource(ints = { 10, 1_500 })
	void textAndJsonRoundTripInBatchesOfAnySize(int size) {
		String text = "tab\there, newline\nand return\r, back\\slash, \\N, \\t, 'quotes' \"double\", \u0001 \uD83D\uDE00 ";
		List<TaskInfo> batch = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			batch.add(TestTasks.fullTask("batch-" + i)
				.toBuilder()
				.name(text + i)
				.error(text)
				.progressMessage(text)
				.idempotencyKey(text + i)
				.result(Map.of(text, text, "nul", "a\0b"))
				.args(Arrays.asList(text, null, 1.5e300, -0.0))
				.kwargs(Map.of("text", text))
				.build());
		}
		try (JdbcTaskStorage storage = this.db.open()) {
			storage.saveTasks(batch);
			for (TaskInfo task : batch) {
				assertThat(storage.getTask(task.id())).contains(task);
			}
		}
	}

	static Stream<Arguments> timeZones() {
		return Stream.of(Arguments.of("UTC", "UTC"), Arguments.of("Pacific/Chatham", "UTC"),
				Arguments.of("UTC", "Pacific/Chatham"), Arguments.of("America/St_Johns", "Asia/Kathmandu"),
				Arguments.of("Europe/Amsterdam", "America/Los_Angeles"), Arguments.of("Asia/Kolkata", "Europe/Amsterdam"));
	}

	@ParameterizedTest(name = "JVM {0}, server {1}")
	@MethodSource("timeZones")
	void aTaskReadBackEqualsTheTaskSavedWhateverTheTimeZonesOfTheJvmAndTheServer(String jvmZone, String serverZone) {
		Map<String, TaskInfo> tasks = new LinkedHashMap<>();
		tasks.put("full", TestTasks.fullTask("full"));
		// The first and last instants a task holds, and times local offsets made odd
		tasks.put("edges", TestTasks.fullTask("edges")
			.toBuilder()
			.createdAt(Instant.parse("0001-01-01T00:00:00Z"))
			.startedAt(Instant.parse("1900-01-01T00:00:00.000001Z"))
			.completedAt(Instant.parse("9999-12-31T23:59:59.999999Z"))
			.notBefore(Instant.parse("1937-06-30T23:40:27.5Z"))
			.nextAttemptAt(Instant.parse("2024-03-31T01:30:00.25Z"))
			.leaseExpiresAt(Instant.parse("2024-10-27T01:30:00.999999Z"))
			.claimedAt(Instant.parse("1969-12-31T23:59:59.999999Z"))
			.lastHeartbeatAt(Instant.parse("2038-01-19T03:14:08Z"))
			.build());
		TimeZone saved = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone(jvmZone));
		try {
			// The driver sets a connection's time zone from the JVM's when it connects
			HikariDataSource pool = this.db.pool(2, "SET TIME ZONE '" + serverZone + "'");
			try (JdbcTaskStorage storage = JdbcTaskStorage.builder(pool).tableName(this.db.table()).build()) {
				storage.saveTask(tasks.get("full"));
				storage.saveTasks(List.of(tasks.get("edges")));
				for (TaskInfo task : tasks.values()) {
					assertThat(storage.getTask(task.id())).contains(task);
				}
				assertThat(storage.getTasks(null, TaskStatus.FAILED, 10, 0))
					.containsExactlyInAnyOrderElementsOf(tasks.values());
				assertThat(storage.getTaskSummaries(null, null, 10, 0)).extracting("createdAt")
					.containsExactlyInAnyOrder(tasks.get("full").createdAt(), tasks.get("edges").createdAt());
			}
			assertThat(this.db.strings("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM \""
					+ this.db.table() + "\" WHERE id = 'full'"))
				.containsExactly("2025-03-01 12:00:00.123456");
		}
		finally {
			TimeZone.setDefault(saved);
		}
	}

	private static Function<TaskInfo.Builder, TaskInfo.Builder> builder(
			Function<TaskInfo.Builder, TaskInfo.Builder> change) {
		return change;
	}

}
