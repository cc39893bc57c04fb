package dev.gobstopper.tasks.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TestClock;
import dev.gobstopper.tasks.support.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the storage tells of itself, and claims while the journal holds what they read.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageHealthTests {

	private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

	@TempDir
	Path dir;

	private final TestClock clock = new TestClock(NOW);

	private DuckDbTaskStorage open(TaskDatabase db) {
		return DuckDbTaskStorage.builder(db.dataSource()).clock(this.clock).build();
	}

	@Test
	void healthNamesTheFileItsSizeAndTheBacklogWhileMergesSucceed() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db)) {
			storage.saveTask(task("t").build());
			db.awaitJournalMerged();
			TaskDatabase.await("the backlog to be counted as merged", () -> storage.backlog() == 0);
			StoreHealth health = storage.health();
			assertThat(health.type()).isEqualTo("duckdb");
			assertThat(health.failure()).isNull();
			assertThat(health.failingSince()).isNull();
			Path wal = Path.of(db.file() + ".wal");
			assertThat(wal).as("the write-ahead log, not checkpointed yet").exists();
			assertThat(health.details()).containsEntry("path", db.file().toAbsolutePath().toString())
				.containsEntry("sizeBytes", Files.size(db.file()) + Files.size(wal))
				.containsEntry("backlog", 0L);
		}
	}

	@Test
	void healthReportsSinceWhenMergesFailAndTheBacklogUntilOneSucceeds() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db)) {
			this.clock.advance(Duration.ofMinutes(1));
			try (TaskDatabase.MergeHold hold = db.holdMerges(storage)) {
				for (int i = 0; i < 5; i++) {
					storage.saveTask(task("held-" + i).build());
				}
				TaskDatabase.await("a merge to fail", () -> storage.health().failingSince() != null);
				StoreHealth health = storage.health();
				assertThat(health.failingSince()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
				assertThat(health.failure()).isNull();
				assertThat((Long) health.details().get("backlog")).isGreaterThanOrEqualTo(6);
				assertThat(storage.backlog()).isGreaterThanOrEqualTo(6);
			}
			TaskDatabase.await("a merge to succeed", () -> storage.health().failingSince() == null);
			TaskDatabase.await("the backlog to be merged", () -> storage.backlog() == 0);
		}
	}

	@Test
	void healthOfAClosedStorageReportsItsFailure() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		DuckDbTaskStorage storage = open(db);
		storage.close();
		assertThat(storage.health().failure()).contains("closed");
	}

	@Test
	void claimsReadTasksStillInTheJournalInClaimOrder() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db)) {
			List<TaskInfo> tasks = new ArrayList<>();
			for (int i = 0; i < 700; i++) {
				tasks.add(task("t-" + i).category("q")
					.priority(TaskPriority.values()[i % 4])
					.createdAt(T0.plusSeconds(i * 7L % 701))
					.build());
			}
			try (TaskDatabase.MergeHold hold = db.holdMerges(storage)) {
				storage.saveTasks(tasks.subList(0, 400));
				List<String> claimed = new ArrayList<>();
				claimed.add(storage.claimNext("q", "w", Duration.ofMinutes(1)).orElseThrow().id());
				storage.saveTasks(tasks.subList(400, 700));
				assertThat(db.count("SELECT count(*) FROM tasks_journal WHERE category = 'q'")).isGreaterThanOrEqualTo(701);
				for (int i = 1; i < 700; i++) {
					claimed.add(storage.claimNext("q", "w", Duration.ofMinutes(1)).orElseThrow().id());
				}
				assertThat(storage.claimNext("q", "w", Duration.ofMinutes(1))).isEmpty();
				List<String> expected = new ArrayList<>();
				expected.add(tasks.subList(0, 400).stream().min(ORDER).orElseThrow().id());
				tasks.stream().filter((task) -> !task.id().equals(expected.get(0))).sorted(ORDER)
					.forEach((task) -> expected.add(task.id()));
				assertThat(claimed).isEqualTo(expected);
			}
		}
	}

	private static final Comparator<TaskInfo> ORDER = Comparator.comparing(TaskInfo::createdAt)
		.thenComparing(TaskInfo::priority, Comparator.reverseOrder())
		.thenComparing(TaskInfo::id);

}
