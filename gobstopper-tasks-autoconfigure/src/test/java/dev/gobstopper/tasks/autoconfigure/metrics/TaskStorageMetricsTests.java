package dev.gobstopper.tasks.autoconfigure.metrics;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.ApplicationTaskStorage;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link TaskStorageMetrics} on a real DuckDB store.
 */
class TaskStorageMetricsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@TempDir
	Path tempDir;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private DuckDBDataSource dataSource;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorage() {
		this.dataSource = new DuckDBDataSource("jdbc:duckdb:" + this.tempDir.resolve("tasks.duckdb"));
		this.storage = DuckDbTaskStorage.builder(this.dataSource).build();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	@Test
	void savesAreTimedByOutcome() {
		new TaskStorageMetrics(this.storage).bindTo(this.registry);
		this.storage.saveTask(task("one").build());
		this.storage.saveTask(task("two").build());
		this.storage.saveTasks(List.of(task("three").build(), task("four").build()));
		TaskInfo unwritable = task("unwritable").result(Map.of("value", new Object())).build();
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.saveTask(unwritable));
		assertThat(timer("gobstopper.tasks.saves", "outcome", "success").count()).isEqualTo(3);
		assertThat(timer("gobstopper.tasks.saves", "outcome", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(timer("gobstopper.tasks.saves", "outcome", "error").count()).isOne();
	}

	@Test
	void readsAreTimedByOperation() {
		new TaskStorageMetrics(this.storage).bindTo(this.registry);
		TaskInfo task = task("read").build();
		this.storage.saveTask(task);
		assertThat(this.storage.getTask(task.id())).contains(task);
		assertThat(this.storage.getTask("missing")).isEmpty();
		assertThat(this.storage.getTasks(null, null, 10, 0)).containsExactly(task);
		assertThat(timer("gobstopper.tasks.reads", "operation", "get").count()).isEqualTo(2);
		assertThat(timer("gobstopper.tasks.reads", "operation", "page").count()).isOne();
	}

	@Test
	void cleanupsAreTimedAndTheTasksTheyDeleteCounted() {
		new TaskStorageMetrics(this.storage).bindTo(this.registry);
		Instant longAgo = Instant.now().minus(Duration.ofDays(10));
		this.storage.saveTasks(List.of(finished("old-1", longAgo), finished("old-2", longAgo),
				finished("recent", Instant.now()), task("pending").createdAt(longAgo).build()));
		assertThat(this.storage.cleanupOldTasks(Duration.ofDays(1))).isEqualTo(2);
		assertThat(this.storage.cleanupOldTasks(Duration.ofDays(1))).isZero();
		Timer cleanups = this.registry.get("gobstopper.tasks.cleanup").timer();
		assertThat(cleanups.count()).isEqualTo(2);
		assertThat(cleanups.getId().getTags()).isEmpty();
		Counter deleted = this.registry.get("gobstopper.tasks.cleanup.deleted").counter();
		assertThat(deleted.count()).isEqualTo(2);
		assertThat(deleted.getId().getBaseUnit()).isEqualTo("tasks");
	}

	@Test
	void theCountPerStatusIsTheStoresCount() {
		new TaskStorageMetrics(this.storage, Duration.ofHours(1)).bindTo(this.registry);
		this.storage.saveTasks(List.of(task("p1").build(), task("p2").build(),
				finished("done", Instant.now())));
		assertThat(count(TaskStatus.PENDING)).isEqualTo(2);
		assertThat(count(TaskStatus.SUCCESS)).isOne();
		assertThat(count(TaskStatus.FAILED)).isZero();
	}

	@Test
	void theJournalBacklogIsTheSavesNotMergedYet() throws SQLException {
		new TaskStorageMetrics(this.storage).bindTo(this.registry);
		Gauge backlog = this.registry.get("gobstopper.tasks.journal.backlog").gauge();
		assertThat(backlog.getId().getBaseUnit()).isEqualTo("rows");
		TaskInfo held = task("held").build();
		this.storage.saveTask(held);
		await().atMost(PATIENCE).until(backlog::value, (value) -> value == 0);
		try (Connection hold = this.dataSource.getConnection(); Statement statement = hold.createStatement()) {
			// A merge deletes the rows it replaces: it conflicts with this open delete, and
			// fails until the delete is rolled back
			statement.execute("BEGIN TRANSACTION");
			statement.execute("DELETE FROM tasks WHERE id = 'held'");
			this.storage.saveTasks(List.of(held, task("two").build(), task("three").build()));
			assertThat(backlog.value()).isEqualTo(3);
			statement.execute("ROLLBACK");
		}
		await().atMost(PATIENCE).until(backlog::value, (value) -> value == 0);
	}

	@Test
	void theCountsAreCountedAgainOnlyOnceOlderThanTheirMaximumAge() {
		ApplicationTaskStorage store = new ApplicationTaskStorage();
		store.saveTask(task("first").build());
		new TaskStorageMetrics(store, Duration.ofHours(1)).bindTo(this.registry);
		assertThat(count(TaskStatus.PENDING)).isOne();
		store.saveTask(task("second").build());
		for (TaskStatus status : TaskStatus.values()) {
			count(status);
		}
		assertThat(count(TaskStatus.PENDING)).isOne();
		assertThat(store.counts()).isOne();
		MeterRegistry fresh = new SimpleMeterRegistry();
		new TaskStorageMetrics(store, Duration.ZERO).bindTo(fresh);
		assertThat(fresh.get("gobstopper.tasks.count").tag("status", "pending").gauge().value()).isEqualTo(2);
	}

	@Test
	void byDefaultTheCountsAreReusedForFiveSeconds() {
		assertThat(TaskStorageMetrics.COUNTS_MAX_AGE).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void theCountIsNotANumberWhileTheStoreCannotCount() {
		ApplicationTaskStorage store = new ApplicationTaskStorage();
		store.unreachable(true);
		new TaskStorageMetrics(store, Duration.ZERO).bindTo(this.registry);
		assertThat(count(TaskStatus.PENDING)).isNaN();
		store.unreachable(false);
		await().atMost(PATIENCE).until(() -> count(TaskStatus.PENDING), (value) -> value == 0);
	}

	@Test
	void aScrapeWhileTheStoreIsSlowToCountAnswersAtOnceWithTheLastCountsAndStartsNoSecondCount() {
		ApplicationTaskStorage store = new ApplicationTaskStorage();
		store.saveTask(task("first").build());
		new TaskStorageMetrics(store, Duration.ZERO).bindTo(this.registry);
		assertThat(count(TaskStatus.PENDING)).isOne();
		store.holdLookups();
		store.saveTask(task("second").build());
		assertTimeoutPreemptively(PATIENCE, () -> {
			assertThat(count(TaskStatus.PENDING)).isOne();
			await().atMost(PATIENCE).until(store::counts, (counts) -> counts == 2);
			assertThat(count(TaskStatus.PENDING)).isOne();
		});
		assertThat(store.counts()).isEqualTo(2);
		store.releaseLookups();
		await().atMost(PATIENCE).until(() -> count(TaskStatus.PENDING), (value) -> value == 2);
	}

	@Test
	void aCountThatRunsLongerThanThePatienceLeavesTheGaugeWithoutCountsUntilOneReturns() {
		ApplicationTaskStorage store = new ApplicationTaskStorage();
		store.saveTask(task("first").build());
		new TaskStorageMetrics(store, Duration.ZERO, Duration.ofMillis(100)).bindTo(this.registry);
		assertThat(count(TaskStatus.PENDING)).isOne();
		store.holdLookups();
		store.saveTask(task("second").build());
		count(TaskStatus.PENDING);
		await().atMost(PATIENCE).until(() -> count(TaskStatus.PENDING), (value) -> value.isNaN());
		store.releaseLookups();
		await().atMost(PATIENCE).until(() -> count(TaskStatus.PENDING), (value) -> value == 2);
	}

	@Test
	void everyMeterHasADescriptionAndTagsOfBoundedValuesOnly() {
		new TaskStorageMetrics(this.storage).bindTo(this.registry);
		assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
			.containsOnly("gobstopper.tasks.count", "gobstopper.tasks.saves", "gobstopper.tasks.reads",
					"gobstopper.tasks.cleanup", "gobstopper.tasks.cleanup.deleted", "gobstopper.tasks.journal.backlog");
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
			assertThat(meter.getId().getTags()).extracting(Tag::getKey).isSubsetOf("status", "outcome", "operation");
		}
		assertThat(this.registry.get("gobstopper.tasks.count").gauges()).hasSize(TaskStatus.values().length)
			.allSatisfy((gauge) -> assertThat(gauge.getId().getBaseUnit()).isEqualTo("tasks"));
	}

	private double count(TaskStatus status) {
		Gauge gauge = this.registry.get("gobstopper.tasks.count").tag("status", status.value()).gauge();
		return gauge.value();
	}

	private Timer timer(String name, String tag, String value) {
		return this.registry.get(name).tag(tag, value).timer();
	}

	private static TaskInfo.Builder task(String id) {
		return TaskInfo.builder().id(id).name("send_email").category("email");
	}

	private static TaskInfo finished(String id, Instant completedAt) {
		return task(id).status(TaskStatus.SUCCESS)
			.createdAt(completedAt.minusSeconds(5))
			.completedAt(completedAt)
			.build();
	}

}
