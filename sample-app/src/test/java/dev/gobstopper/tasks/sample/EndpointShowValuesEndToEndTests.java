package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.endpoint.gobstoppertasks.show-values=always}, the endpoint shows
 * a task's payloads, over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.gobstoppertasks.show-values=always")
@DirtiesContext
@Timeout(120)
class EndpointShowValuesEndToEndTests {

	@TempDir
	static Path dir;

	private final TaskApiClient api;

	private final TaskStorage storage;

	EndpointShowValuesEndToEndTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
		this.api = new TaskApiClient(port);
		this.storage = storage;
	}

	@DynamicPropertySource
	static void taskDatabase(DynamicPropertyRegistry registry) {
		registry.add("gobstopper.tasks.db-path", () -> dir.resolve("tasks.duckdb").toString());
	}

	@Test
	void aTasksPayloadsAreShown() {
		TaskInfo task = OperationsEndToEndTests.secretTask();
		this.storage.saveTask(task);
		ResponseEntity<Map<String, Object>> response = this.api.get("/actuator/gobstoppertasks/" + task.id());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("result", Map.of("card", "4111-1111-1111-1111"))
			.containsEntry("args", List.of("4111-1111-1111-1111"))
			.containsEntry("kwargs", Map.of("cvc", "123"))
			.containsEntry("error", "Card 4111-1111-1111-1111 declined");
	}

}
