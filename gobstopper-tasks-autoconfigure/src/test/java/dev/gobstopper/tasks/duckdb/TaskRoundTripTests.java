package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.support.TaskRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How values are stored in the DuckDB file: as Gobstopper's Python original writes and
 * reads them. That they read back equal to what was saved, from the journal, from the task
 * table and after a restart, is part of the contract tests.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskRoundTripTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	private TaskInfo roundTrip(TaskInfo task) {
		this.storage.saveTask(task);
		TaskInfo fresh = this.storage.getTask(task.id()).orElseThrow();
		assertThat(fresh).isEqualTo(task);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask(task.id())).contains(task);
		assertThat(this.storage.getTasks(task.category(), task.status())).contains(task);
		this.storage.close();
		this.storage = this.db.openStorage();
		TaskInfo reopened = this.storage.getTask(task.id()).orElseThrow();
		assertThat(reopened).isEqualTo(task);
		return reopened;
	}

	private static Map<String, Object> mapOf(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	@Test
	void aNullResultRoundTripsAndIsStoredAsJsonNullLikeTheOriginal() {
		roundTrip(task("none").result(null).build());
		assertThat(this.db.strings("SELECT result FROM tasks WHERE id = 'none'")).containsExactly("null");
	}

	@Test
	void nanAndInfinityRoundTripAndAreStoredAsPythonsJsonWritesThem() {
		List<Object> specials = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5);
		TaskInfo task = task("specials").result(specials)
			.args(List.of(Double.NaN))
			.kwargs(mapOf("inf", Double.POSITIVE_INFINITY, "list", specials))
			.build();
		TaskInfo read = roundTrip(task);
		assertThat(read.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5));
		String stored = this.db.strings("SELECT result FROM tasks WHERE id = 'specials'").get(0);
		assertThat(stored.replace(" ", "")).isEqualTo("[NaN,Infinity,-Infinity,1.5]");
		assertThat(this.db.strings("SELECT kwargs FROM tasks WHERE id = 'specials'").get(0))
			.contains("Infinity")
			.doesNotContain("\"Infinity\"");
	}

	@Test
	void jsonWrittenByPythonWithNanAndInfinityIsRead() {
		this.db.execute("INSERT INTO tasks (" + String.join(", ", TaskRow.SEED_COLUMNS) + ") VALUES ('py', 'n', 'c', 2, 'success', '2024-05-01T10:15:30', NULL, NULL, "
				+ "0.0, '[NaN, Infinity, -Infinity]', NULL, 0, 0, '[NaN]', '{\"x\": -Infinity}', 0.0, '')");
		TaskInfo read = this.storage.getTask("py").orElseThrow();
		assertThat(read.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
		assertThat(read.args()).containsExactly(Double.NaN);
		assertThat(read.kwargs()).containsEntry("x", Double.NEGATIVE_INFINITY);
	}

	@Test
	void timestampsAreStoredInUtc() {
		Instant instant = Instant.parse("2024-05-01T10:15:30.123456Z");
		roundTrip(task("utc").createdAt(instant).build());
		assertThat(this.db.strings("SELECT strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') FROM tasks"))
			.containsExactly("2024-05-01T10:15:30.123456");
	}

}
