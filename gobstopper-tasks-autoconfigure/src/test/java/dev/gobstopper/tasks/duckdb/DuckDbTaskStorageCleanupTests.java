package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The cleanup rule of the original: only tasks in a terminal status whose
 * {@code completedAt} lies before now minus the period are deleted. Completion times lie
 * an hour on either side of the cutoff, so the time the cleanup takes cannot move a task
 * across it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageCleanupTests {

	private static final Duration MARGIN = Duration.ofHours(1);

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

	/**
	 * Save a task of every status completed before the cutoff, one completed after it, and
	 * one not completed, and return the ids of those the cleanup must delete.
	 */
	private List<String> saveEveryStatusAroundTheCutoff(Duration period) {
		Instant cutoff = Instant.now().minus(period);
		List<TaskInfo> tasks = new ArrayList<>();
		List<String> expired = new ArrayList<>();
		for (TaskStatus status : TaskStatus.values()) {
			String id = status.value();
			tasks.add(task(id + "-before").status(status).completedAt(cutoff.minus(MARGIN)).build());
			tasks.add(task(id + "-after").status(status).completedAt(cutoff.plus(MARGIN)).build());
			tasks.add(task(id + "-never").status(status).completedAt(null).build());
			if (status.isTerminal()) {
				expired.add(id + "-before");
			}
		}
		this.storage.saveTasks(tasks);
		return expired;
	}

	private List<String> storedIds() {
		return this.db.strings("SELECT id FROM tasks UNION SELECT id FROM tasks_journal ORDER BY 1");
	}

	private List<String> idsWithout(List<String> all, List<String> deleted) {
		List<String> remaining = new ArrayList<>(all);
		remaining.removeAll(deleted);
		return remaining;
	}

	@Test
	void cleanupDeletesOnlyTasksInATerminalStatusThatCompletedBeforeThePeriod() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.db.awaitJournalMerged();
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(expired).containsExactlyInAnyOrder("success-before", "failed-before", "cancelled-before");
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	@Test
	void cleanupNeverDeletesPendingStartedOrRetryingTasks() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(1));
		this.storage.cleanupOldTasks(1, 0, 0);
		for (TaskStatus status : List.of(TaskStatus.PENDING, TaskStatus.STARTED, TaskStatus.RETRY)) {
			assertThat(this.storage.getTasks(null, status)).hasSize(3);
		}
		assertThat(this.storage.getTask("pending-before")).isPresent();
		assertThat(this.storage.getTask("started-before")).isPresent();
		assertThat(this.storage.getTask("retry-before")).isPresent();
	}

	@Test
	void cleanupKeepsFinishedTasksWithoutACompletionTime() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(1));
		this.storage.cleanupOldTasks(0, 0, 1);
		assertThat(this.storage.getTask("success-never")).isPresent();
		assertThat(this.storage.getTask("failed-never")).isPresent();
		assertThat(this.storage.getTask("cancelled-never")).isPresent();
	}

	@Test
	void cleanupJudgesByCompletionTimeNotCreationTime() {
		Instant now = Instant.now();
		TaskInfo createdLongAgoCompletedRecently = task("recent").status(TaskStatus.SUCCESS)
			.createdAt(now.minus(Duration.ofDays(400)))
			.completedAt(now.minus(Duration.ofDays(2)))
			.build();
		TaskInfo createdRecentlyCompletedLongAgo = task("old").status(TaskStatus.SUCCESS)
			.createdAt(now)
			.completedAt(now.minus(Duration.ofDays(400)))
			.build();
		this.storage.saveTasks(List.of(createdLongAgoCompletedRecently, createdRecentlyCompletedLongAgo));
		assertThat(this.storage.cleanupOldTasks(7, 0, 0)).isEqualTo(1);
		assertThat(storedIds()).containsExactly("recent");
	}

	@Test
	void cleanupDeletesTasksSavedJustBeforeIt() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(15);
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
	}

	@ParameterizedTest(name = "{0} days, {1} months and {2} years keep {3} days")
	@CsvSource({ "1, 1, 1, 396", "0, 2, 0, 60", "0, 0, 2, 730", "10, 0, 0, 10", "5, 3, 0, 95", "0, 1, 1, 395" })
	void periodsAddUpWithThirtyDayMonthsAndThreeHundredSixtyFiveDayYears(int days, int months, int years,
			int keptDays) {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(keptDays));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(days, months, years)).isEqualTo(3);
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
	}

	@Test
	void cleanupReturnsTheNumberOfTasksDeleted() {
		Instant old = Instant.now().minus(Duration.ofDays(100));
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			tasks.add(task("done-" + i).status(TaskStatus.SUCCESS).completedAt(old).build());
		}
		this.storage.saveTasks(tasks);
		assertThat(this.storage.cleanupOldTasks(200, 0, 0)).isZero();
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isEqualTo(25);
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isZero();
		assertThat(this.db.taskRows() + this.db.journalRows()).isZero();
	}

	@Test
	void cleanupWithEveryPeriodZeroDeletesNothing() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(3650));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(0, 0, 0)).isZero();
		assertThat(this.storage.cleanupOldTasks(Duration.ZERO)).isZero();
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void cleanupWithADurationDeletesTasksCompletedBeforeNowMinusTheDuration() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofHours(6));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(Duration.ofHours(6))).isEqualTo(3);
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
	}

	@Test
	void cleanupWithADurationOfDaysMatchesTheSameNumberOfDays() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(45));
		assertThat(this.storage.cleanupOldTasks(Duration.ofDays(45))).isEqualTo(3);
		assertThat(storedIds()).doesNotContainAnyElementsOf(expired).hasSize(15);
		assertThat(this.storage.cleanupOldTasks(15, 1, 0)).isZero();
	}

	@Test
	void aPeriodReachingBeforeTheYearOneDeletesNothing() {
		this.storage.saveTask(task("ancient").status(TaskStatus.SUCCESS)
			.createdAt(Instant.parse("0001-01-02T00:00:00Z"))
			.completedAt(Instant.parse("0001-01-02T00:00:00Z"))
			.build());
		assertThat(this.storage.cleanupOldTasks(0, 0, 10_000)).isZero();
		assertThat(this.storage.cleanupOldTasks(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)).isZero();
		assertThat(this.storage.cleanupOldTasks(Duration.ofSeconds(Long.MAX_VALUE))).isZero();
		assertThat(this.storage.getTask("ancient")).isPresent();
		assertThat(this.storage.cleanupOldTasks(0, 0, 1)).isEqualTo(1);
	}

	@ParameterizedTest
	@CsvSource({ "days, -1, 0, 0", "months, 0, -1, 0", "years, 0, 0, -1", "days, -30, 1, 1",
			"years, 1, 1, -2147483648" })
	void aNegativePeriodIsRejectedNamingItAndDeletesNothing(String field, int days, int months, int years) {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(400));
		List<String> before = storedIds();
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(days, months, years))
			.withMessageContaining(field);
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void aNegativeOrMissingRetentionIsRejectedAndDeletesNothing() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(400));
		List<String> before = storedIds();
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(Duration.ofSeconds(-1)))
			.withMessageContaining("retention");
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(null))
			.withMessageContaining("retention");
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void tasksDeletedByCleanupStayDeletedAfterARestart() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.storage.cleanupOldTasks(30, 0, 0);
		this.storage.close();
		this.storage = this.db.openStorage();
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	@Test
	void cleanupOfALargeShareOfTheTableKeepsExactlyTheOtherTasksTheirKeyAndTheirIndexes() {
		this.storage.close();
		this.db.execute(new DuckDbSql("tasks").createTable);
		this.db.execute("CREATE INDEX idx_tasks_status ON tasks(status)");
		this.db.execute("CREATE INDEX idx_tasks_category ON tasks(category)");
		this.storage = this.db.openStorage();
		List<String> expired = new ArrayList<>();
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 12_000; i++) {
			TaskInfo task = task("old-" + i).status(TaskStatus.values()[2 + i % 3])
				.completedAt(Instant.now().minus(Duration.ofDays(40)))
				.build();
			tasks.add(task);
			expired.add(task.id());
		}
		List<String> cutoffTasks = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		expired.addAll(cutoffTasks);
		this.storage.saveTasks(tasks);
		List<String> before = storedIds();
		List<TaskInfo> kept = idsWithout(before, expired).stream()
			.map((id) -> this.storage.getTask(id).orElseThrow())
			.toList();

		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(expired.size());

		assertThat(storedIds()).containsExactlyInAnyOrderElementsOf(idsWithout(before, expired));
		for (TaskInfo task : kept) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
		assertThat(this.db.strings("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'tasks' ORDER BY 1"))
			.containsExactly("idx_tasks_category", "idx_tasks_status");
		assertThat(this.db.strings("SELECT constraint_column_names::VARCHAR FROM duckdb_constraints() "
				+ "WHERE table_name = 'tasks' AND constraint_type = 'PRIMARY KEY'"))
			.containsExactly("[id]");
		TaskInfo updated = kept.get(0).toBuilder().progress(42).build();
		this.storage.saveTask(updated);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask(updated.id())).contains(updated);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id = ?", updated.id())).isEqualTo(1);
	}

}
