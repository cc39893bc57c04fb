package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.endpoint.gobstoppertasks.access=read-only}, the endpoint reads
 * but refuses to delete a task or run cleanup, over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.gobstoppertasks.access=read-only")
@DirtiesContext
@Timeout(120)
class EndpointReadOnlyEndToEndTests {

	@TempDir
	static Path dir;

	private final TaskApiClient api;

	private final TaskStorage storage;

	EndpointReadOnlyEndToEndTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
		this.api = new TaskApiClient(port);
		this.storage = storage;
	}

	@DynamicPropertySource
	static void taskDatabase(DynamicPropertyRegistry registry) {
		registry.add("gobstopper.tasks.db-path", () -> dir.resolve("tasks.duckdb").toString());
	}

	@Test
	void aTaskIsReadButNotDeleted() {
		TaskInfo task = TaskInfo.builder().name("kept").category("read-only").build();
		this.storage.saveTask(task);
		assertThat(this.api.get("/actuator/gobstoppertasks/" + task.id()).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.api.delete("/actuator/gobstoppertasks/" + task.id()).getStatusCode())
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(this.storage.getTask(task.id())).contains(task);
	}

	@Test
	void cleanupIsRefused() {
		Instant longAgo = Instant.now().minus(Duration.ofDays(400));
		TaskInfo old = TaskInfo.builder()
			.name("ancient")
			.category("read-only")
			.status(TaskStatus.SUCCESS)
			.createdAt(longAgo)
			.completedAt(longAgo)
			.build();
		this.storage.saveTask(old);
		assertThat(this.api.post("/actuator/gobstoppertasks", "{\"retention\":\"1d\"}").getStatusCode())
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(this.storage.getTask(old.id())).contains(old);
	}

}
