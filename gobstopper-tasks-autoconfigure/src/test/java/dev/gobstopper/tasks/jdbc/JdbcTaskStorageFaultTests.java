package dev.gobstopper.tasks.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Callers of the shared store behind a write the database holds up: none waits for ever.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JdbcTaskStorageFaultTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	final TestDatabase db = new TestDatabase();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void aSaveWaitingBehindAWriteTheDatabaseHoldsUpFailsWithinTheTimeoutAndIsNotSaved() throws Exception {
		String table = this.db.table();
		try (JdbcTaskStorage storage = this.db.builder().shutdownTimeout(Duration.ofMillis(500)).build();
				Connection locker = this.db.dataSource().getConnection()) {
			storage.saveTask(task("held").build());
			locker.setAutoCommit(false);
			try (Statement statement = locker.createStatement()) {
				statement.execute("UPDATE \"" + table + "\" SET name = 'locked' WHERE id = 'held'");
			}
			// Its upsert waits for the row lock, and writes for the callers after it
			Future<?> writer = this.threads.submit(() -> storage.saveTask(task("held").name("second").build()));
			awaitLockWait(table);
			Future<?> behind = this.threads.submit(() -> storage.saveTask(task("behind").build()));
			Throwable failure = failure(behind);
			assertThat(failure).isInstanceOf(TaskStorageException.class)
				.hasMessageContaining("Task 'behind' was not saved")
				.hasMessageContaining("longer than the storage's timeout of 500 ms");
			locker.rollback();
			writer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(storage.getTask("held").orElseThrow().name()).isEqualTo("second");
			assertThat(storage.getTask("behind")).isEmpty();
			storage.saveTask(task("after").build());
			assertThat(storage.getTask("after")).isPresent();
		}
	}

	private void awaitLockWait(String table) throws InterruptedException {
		Instant deadline = Instant.now().plus(BOUND);
		while (this.db.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
				"%" + table + "%") == 0) {
			if (Instant.now().isAfter(deadline)) {
				fail("The save never waited for the row lock");
			}
			Thread.sleep(10);
		}
	}

	private static Throwable failure(Future<?> future) throws Exception {
		try {
			future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		throw new AssertionError("The save succeeded");
	}

}
