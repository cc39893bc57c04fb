package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code gobstopper.tasks.shutdown-timeout} reaches the auto-configured storage: callers
 * behind a stuck writer, and the closing of the context, give up after it. In this
 * package for the storage's test hooks.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class ShutdownTimeoutAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class))
		.withPropertyValues("gobstopper.tasks.cleanup.enabled=false");

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final CountDownLatch stuck = new CountDownLatch(1);

	private final CountDownLatch released = new CountDownLatch(1);

	@TempDir
	Path dir;

	@AfterEach
	void release() {
		this.released.countDown();
		this.threads.shutdownNow();
	}

	@Test
	void theShutdownTimeoutBoundsCallersBehindAStuckWriterAndTheClosingOfTheContext(CapturedOutput output) {
		Path file = this.dir.resolve("tasks.duckdb");
		this.contextRunner
			.withPropertyValues("gobstopper.tasks.db-path=" + file,
					"gobstopper.tasks.shutdown-timeout=2s")
			.run((context) -> {
				DuckDbTaskStorage storage = context.getBean(DuckDbTaskStorage.class);
				storage.beforeJournalCommit(this::holdUninterruptibly);
				Future<?> save = this.threads.submit(() -> storage.saveTask(task("stuck").build()));
				assertThat(this.stuck.await(30, TimeUnit.SECONDS)).isTrue();
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> save.get(30, TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOf(TaskStorageException.class)
					.withMessageContaining("may or may not be saved")
					.withMessageContaining("longer than the storage's timeout of 2000 ms");
				assertTimeoutPreemptively(Duration.ofSeconds(30), context::close);
			});
		assertThat(output.getAll()).contains("gave up after 2000 ms");
		this.released.countDown();
		// Starts once the writer left behind has ended
		try (DuckDbTaskStorage reopened = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file))
			.build()) {
			assertThat(reopened.getTask("stuck")).isPresent();
		}
	}

	private void holdUninterruptibly() {
		this.stuck.countDown();
		while (true) {
			try {
				this.released.await();
				return;
			}
			catch (InterruptedException ex) {
				// As deaf to it as a DuckDB statement
			}
		}
	}

}
