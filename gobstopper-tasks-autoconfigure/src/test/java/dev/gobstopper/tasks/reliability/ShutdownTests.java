package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Closing the application context commits what was acknowledged, closes DuckDB cleanly
 * and releases the file; the storage refuses work afterwards.
 */
@Timeout(180)
class ShutdownTests {

	private static final int WRITERS = 8;

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class))
		.withPropertyValues("gobstopper.tasks.cleanup.enabled=false");

	@TempDir
	Path dir;

	@Test
	void closingTheContextWhileThreadsSaveLosesNothingAcknowledgedAndReleasesTheFile() throws Exception {
		Path file = this.dir.resolve("shutdown.duckdb");
		Queue<TaskInfo> acknowledged = new ConcurrentLinkedQueue<>();
		List<Throwable> endings = new ArrayList<>();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
			try {
				List<Future<Throwable>> writers = new ArrayList<>();
				for (int w = 0; w < WRITERS; w++) {
					int writer = w;
					writers.add(executor.submit(() -> saveUntilRefused(storage, writer, acknowledged)));
				}
				long deadline = System.nanoTime() + PATIENCE.toNanos();
				while (acknowledged.size() < 500 && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
				context.close();
				for (Future<Throwable> writer : writers) {
					endings.add(writer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
				}
			}
			finally {
				executor.shutdownNow();
			}
		});
		assertThat(endings).hasSize(WRITERS).allSatisfy((ending) -> assertThat(ending)
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("closed"));
		assertThat(this.dir.resolve("shutdown.duckdb.wal")).as("DuckDB's write-ahead log, checkpointed at close")
			.doesNotExist();
		try (ChildJvm reader = ChildJvm.start(this.dir, DuckDbFileHolder.class, "count", file.toString())) {
			String count = reader.awaitLine((line) -> line.startsWith("count "), PATIENCE);
			assertThat(reader.awaitExit(PATIENCE)).as(reader.output()).isZero();
			// Saves that were refused were not written either
			assertThat(count).isEqualTo("count " + acknowledged.size());
		}
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file))
			.build()) {
			for (TaskInfo task : acknowledged) {
				assertThat(storage.getTask(task.id())).contains(task);
			}
		}
	}

	@Test
	void theStorageRefusesWorkWithAClearErrorOnceTheContextIsClosed() {
		Path file = this.dir.resolve("closed.duckdb");
		AtomicReference<TaskStorage> closed = new AtomicReference<>();
		TaskInfo saved = task(0, 0);
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTask(saved);
			closed.set(storage);
		});
		TaskStorage storage = closed.get();
		assertThatIllegalStateException().isThrownBy(() -> storage.saveTask(task(0, 1)))
			.withMessageContaining("TaskStorage is closed");
		assertThatIllegalStateException().isThrownBy(() -> storage.saveTasks(List.of(task(0, 2))))
			.withMessageContaining("TaskStorage is closed");
		assertThatIllegalStateException().isThrownBy(() -> storage.getTask(saved.id()))
			.withMessageContaining("TaskStorage is closed");
		assertThatIllegalStateException().isThrownBy(() -> storage.getTasks(null, null))
			.withMessageContaining("TaskStorage is closed");
		assertThatIllegalStateException().isThrownBy(() -> storage.deleteTask(saved.id()))
			.withMessageContaining("TaskStorage is closed");
		assertThatIllegalStateException().isThrownBy(() -> storage.cleanupOldTasks(Duration.ofDays(1)))
			.withMessageContaining("TaskStorage is closed");
		try (DuckDbTaskStorage reopened = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file))
			.build()) {
			assertThat(reopened.getTasks(null, null)).containsExactly(saved);
		}
	}

	/**
	 * Save new tasks until the storage refuses one, and return the refusal, or whatever
	 * else ended the loop.
	 */
	private static Throwable saveUntilRefused(TaskStorage storage, int writer, Queue<TaskInfo> acknowledged) {
		for (int i = 0;; i++) {
			TaskInfo task = task(writer, i);
			try {
				storage.saveTask(task);
			}
			catch (Throwable ex) {
				return ex;
			}
			acknowledged.add(task);
		}
	}

	private static TaskInfo task(int writer, int i) {
		return TaskInfo.builder()
			.id("w" + writer + "-" + i)
			.name("shutdown-test")
			.category("writer-" + writer)
			.status(TaskStatus.STARTED)
			.createdAt(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i))
			.startedAt(Instant.parse("2025-01-01T00:00:01Z").plusSeconds(i))
			.kwargs(Map.of("writer", writer, "i", i))
			.build();
	}

}
