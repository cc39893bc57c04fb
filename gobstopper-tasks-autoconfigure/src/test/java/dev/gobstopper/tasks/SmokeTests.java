package dev.gobstopper.tasks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@TempDir
	Path dir;

	@Test
	void smoke() {
		DuckDBDataSource ds = new DuckDBDataSource("jdbc:duckdb:" + dir.resolve("t.duckdb"));
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(ds).build()) {
			TaskInfo task = TaskInfo.builder().name("n").category("c").result(Map.of("a", List.of(1, "x"))).args(List.of(1, 2)).build();
			storage.saveTask(task);
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(storage.getTasks("c", TaskStatus.PENDING)).containsExactly(task);
			TaskInfo done = task.toBuilder().status(TaskStatus.SUCCESS).completedAt(Instant.now().minusSeconds(86400 * 40)).build();
			storage.saveTask(done);
			assertThat(storage.getTask(task.id())).contains(done);
			assertThat(storage.cleanupOldTasks(30, 0, 0)).isEqualTo(1);
			assertThat(storage.getTask(task.id())).isEmpty();
			storage.saveTask(task);
		}
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(ds).build()) {
			assertThat(storage.getTasks(null, null)).hasSize(1);
		}
	}

}
