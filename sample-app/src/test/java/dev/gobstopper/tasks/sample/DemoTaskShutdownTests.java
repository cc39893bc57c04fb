package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How demo tasks end when they cannot run: a full queue, and the application shutting
 * down. One thread and a queue of one make both happen on demand.
 */
@Timeout(120)
class DemoTaskShutdownTests {

	private static final String LONG_TASK = "{\"category\":\"long\",\"steps\":100,\"stepMillis\":1000}";

	@TempDir
	Path dir;

	@Test
	void aDemoTaskBeyondTheQueueCapacityIsRefusedWith503AndRecordedAsCancelled() {
		try (ConfigurableApplicationContext context = start()) {
			TaskApiClient api = client(context);
			api.awaitStatus(api.submitAccepted(LONG_TASK), "started");
			api.submitAccepted(LONG_TASK);
			ResponseEntity<Map<String, Object>> refused = api.submit(LONG_TASK);
			assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			String id = (String) refused.getBody().get("taskId");
			assertThat(refused.getBody()).containsEntry("detail",
					"Task '" + id + "' was not run: the demo task queue is full");
			Map<String, Object> task = api.task(id);
			assertThat(task).containsEntry("status", "cancelled")
				.containsEntry("error", "Not run: the demo task queue is full")
				.containsEntry("startedAt", null);
			assertThat(task.get("completedAt")).isNotNull();
		}
	}

	@Test
	void shuttingDownRecordsTheRunningAndTheQueuedDemoTasksAsCancelled() {
		String running;
		String queued;
		try (ConfigurableApplicationContext context = start()) {
			TaskApiClient api = client(context);
			running = api.submitAccepted(LONG_TASK);
			api.awaitStatus(running, "started");
			queued = api.submitAccepted(LONG_TASK);
		}
		try (ConfigurableApplicationContext context = start()) {
			TaskApiClient api = client(context);
			Map<String, Object> interrupted = api.task(running);
			assertThat(interrupted).containsEntry("status", "cancelled");
			int done = (int) (double) interrupted.get("progress");
			assertThat(interrupted).containsEntry("error",
					"Cancelled when the application shut down, after " + done + " of 100 steps");
			assertThat(interrupted.get("startedAt")).isNotNull();
			assertThat(interrupted.get("completedAt")).isNotNull();
			Map<String, Object> neverRun = api.task(queued);
			assertThat(neverRun).containsEntry("status", "cancelled")
				.containsEntry("error", "Not run: the application shut down first")
				.containsEntry("startedAt", null);
		}
	}

	private ConfigurableApplicationContext start() {
		return SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--gobstopper.tasks.db-path=" + this.dir.resolve("tasks.duckdb"), "--demo-tasks.threads=1",
				"--demo-tasks.queue-capacity=1");
	}

	private static TaskApiClient client(ConfigurableApplicationContext context) {
		return new TaskApiClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
	}

}
